using Google.Protobuf.WellKnownTypes;
using Granary.Online;
using Granary.Server.Auth;
using Granary.Server.Diagnostics;
using Granary.Server.Rest;
using Granary.Serving.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Server.Grpc;

/// <summary>
/// <c>granary.serving.v1.ServingService</c>: the same read as <c>POST /get-online-features</c>, through
/// the same facade call, with the REST errors mapped to gRPC status codes.
/// </summary>
internal sealed class ServingGrpcService(
    FeatureStore store, ApiKeyAuthenticator auth, ServerMetrics metrics, IOptions<GranaryServerOptions> options, ILogger<ServingGrpcService> logger)
    : ServingService.ServingServiceBase
{
    private const string Endpoint = "grpc GetOnlineFeatures";
    private static readonly Timestamp NoTimestamp = new();
    private readonly GranaryServerOptions _options = options.Value;

    public override async Task<GetOnlineFeaturesResponse> GetOnlineFeatures(GetOnlineFeaturesRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var requestId = RequestIds.Of(http);
        try
        {
            if (auth.Check(http, FeatureServerScopes.Read) is { } denied)
            {
                throw new ServerErrorException(denied);
            }

            var entities = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
            foreach (var (name, column) in request.Entities.Concat(request.RequestContext))
            {
                if (column.Val.Count > _options.MaxEntities)
                {
                    throw new ServerErrorException(ServerError.BadRequest($"entities.{name} has {column.Val.Count} rows; the limit is {_options.MaxEntities} (max_entities)"));
                }

                entities[name] = column.Val.Select(ProtoValues.ToClr).ToArray();
            }

            var read = new OnlineFeaturesRequest
            {
                Features = request.KindCase == GetOnlineFeaturesRequest.KindOneofCase.Features ? request.Features.Val : null,
                FeatureService = request.KindCase == GetOnlineFeaturesRequest.KindOneofCase.FeatureService ? request.FeatureService : null,
                Entities = entities,
                FullFeatureNames = request.FullFeatureNames,
            };
            var response = await StoreCalls.RunAsync(
                metrics, "read", _options.ReadTimeout, ct => store.GetOnlineFeaturesAsync(read, ct), context.CancellationToken).ConfigureAwait(false);
            return ToProto(response);
        }
        catch (Exception e) when (e is not RpcException && !context.CancellationToken.IsCancellationRequested)
        {
            var error = ServerError.From(e);
            if (error is null)
            {
                Log.RequestFailed(logger, Endpoint, requestId, e);
                error = ServerError.Internal(requestId);
            }
            else if (error.Status >= 500)
            {
                Log.StoreUnavailable(logger, Endpoint, error.Status, error.Kind, requestId, error.Detail, e);
            }
            else
            {
                Log.RequestRejected(logger, Endpoint, error.Status, error.Kind, requestId, error.Detail);
            }

            metrics.Error(Endpoint, error.Kind);
            throw new RpcException(new Status(Code(error.Status), error.Detail));
        }
    }

    private static GetOnlineFeaturesResponse ToProto(OnlineResponse response)
    {
        var names = new FeatureList();
        names.Val.AddRange(response.FeatureNames);
        var proto = new GetOnlineFeaturesResponse { Metadata = new GetOnlineFeaturesResponseMetadata { FeatureNames = names } };
        foreach (var column in response.Results)
        {
            var vector = new FeatureVector();
            for (var row = 0; row < column.Values.Length; row++)
            {
                vector.Values.Add(ProtoValues.FromClr(column.Values[row]));
                vector.Statuses.Add(column.Statuses[row] switch
                {
                    FeatureStatus.Present => FieldStatus.Present,
                    FeatureStatus.NullValue => FieldStatus.NullValue,
                    FeatureStatus.NotFound => FieldStatus.NotFound,
                    FeatureStatus.OutsideMaxAge => FieldStatus.OutsideMaxAge,
                    _ => FieldStatus.Invalid,
                });
                vector.EventTimestamps.Add(column.EventTimestamps[row] is { } t ? Timestamp.FromDateTimeOffset(t) : NoTimestamp);
            }

            proto.Results.Add(vector);
        }

        return proto;
    }

    private static StatusCode Code(int status) => status switch
    {
        400 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        413 => StatusCode.ResourceExhausted,
        503 => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
