using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Granary.Online;
using Granary.Serving.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Granary.Server.Grpc;

/// <summary>
/// <c>granary.serving.v1.ServingService</c> (declared to Grpc.AspNetCore by <see cref="ServingMethods"/>): the same
/// read as <c>POST /get-online-features</c>, through the same row limit and the same facade call. Its failures
/// are answered by <see cref="ServerErrorInterceptor"/> with the meanings REST gives them.
/// </summary>
internal sealed class ServingGrpcService(FeatureStore store, StoreCalls calls, IOptions<GranaryServerOptions> options)
{
    private static readonly Timestamp NoTimestamp = new();
    private readonly GranaryServerOptions _options = options.Value;

    public async Task<GetOnlineFeaturesResponse> GetOnlineFeatures(GetOnlineFeaturesRequest request, ServerCallContext context)
    {
        var entities = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        AddColumns(entities, "entities", request.Entities);
        AddColumns(entities, "request_context", request.RequestContext);
        var read = new OnlineFeaturesRequest
        {
            Features = request.KindCase == GetOnlineFeaturesRequest.KindOneofCase.Features ? request.Features.Val : null,
            FeatureService = request.KindCase == GetOnlineFeaturesRequest.KindOneofCase.FeatureService ? request.FeatureService : null,
            Entities = entities,
            FullFeatureNames = request.FullFeatureNames,
            RequestId = Rest.RequestIds.Of(context.GetHttpContext()),
        };
        var response = await calls.RunAsync(
            "read", _options.ReadTimeout, ct => store.GetOnlineFeaturesAsync(read, ct), context.CancellationToken, () => store.CheckOnlineRequest(read)).ConfigureAwait(false);
        return ToProto(response);
    }

    private void AddColumns(Dictionary<string, IReadOnlyList<object?>> entities, string field, MapField<string, RepeatedValue> columns)
    {
        foreach (var (name, column) in columns)
        {
            RowLimit.Check(field, name, column.Val.Count, _options.MaxEntities);
            var values = new object?[column.Val.Count];
            for (var row = 0; row < values.Length; row++)
            {
                values[row] = ProtoValues.ToClr(column.Val[row]);
            }

            entities[name] = values;
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
}
