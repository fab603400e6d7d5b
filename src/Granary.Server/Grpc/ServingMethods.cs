using Google.Protobuf;
using Granary.Server.Auth;
using Granary.Serving.V1;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Grpc;

/// <summary>
/// Declares <c>granary.serving.v1.ServingService</c>'s method to Grpc.AspNetCore in place of the binding
/// generated from the .proto, for what that binding cannot do: bytes that are not a valid request message end
/// the call with INVALID_ARGUMENT naming the problem (the generated parser's exception ends it with UNKNOWN),
/// and the method's endpoint carries the read scope and lifts the server's request body limit, so that a
/// message over <c>max_body_bytes</c> meets the gRPC message limit, which answers RESOURCE_EXHAUSTED with a
/// message, and not the HTTP body limit, which resets the stream without a status.
/// </summary>
internal sealed class ServingMethods : IServiceMethodProvider<ServingGrpcService>
{
    private static readonly Method<GetOnlineFeaturesRequest, GetOnlineFeaturesResponse> GetOnlineFeatures = new(
        MethodType.Unary,
        ServingService.Descriptor.FullName,
        nameof(ServingGrpcService.GetOnlineFeatures),
        Marshallers.Create(Serialize, Parse(GetOnlineFeaturesRequest.Parser)),
        Marshallers.Create(Serialize, Parse(GetOnlineFeaturesResponse.Parser)));

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ServingGrpcService> context) =>
        context.AddUnaryMethod(
            GetOnlineFeatures,
            [new HttpMethodMetadata(["POST"], acceptCorsPreflight: true), new RequiredScope(FeatureServerScopes.Read), UnlimitedRequestBody.Instance],
            (service, request, call) => service.GetOnlineFeatures(request, call));

    private static void Serialize<T>(T message, SerializationContext context)
        where T : IMessage<T>
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }

    private static Func<DeserializationContext, T> Parse<T>(MessageParser<T> parser)
        where T : IMessage<T> =>
        context =>
        {
            try
            {
                return parser.ParseFrom(context.PayloadAsReadOnlySequence());
            }
            catch (InvalidProtocolBufferException e)
            {
                throw ServerError.BadRequest($"the request is not a valid {typeof(T).Name}: {e.Message}").ToRpcException();
            }
        };
}
