using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Server.Rest;

/// <summary>
/// The shapes of the REST bodies, for the OpenAPI document only: the endpoints read and write JSON
/// directly (<see cref="RequestBody"/>, <see cref="Online.OnlineResponseJson"/>), so that values
/// reach the core as given and responses are written without an intermediate object.
/// </summary>
internal static class OpenApiSchemas
{
    /// <summary>POST /get-online-features, as Feast's feature server takes it.</summary>
    internal sealed record GetOnlineFeaturesRequest(
        [property: JsonPropertyName("features")] IReadOnlyList<string>? Features,
        [property: JsonPropertyName("feature_service")] string? FeatureService,
        [property: JsonPropertyName("entities")] IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> Entities,
        [property: JsonPropertyName("full_feature_names")] bool? FullFeatureNames);

    /// <summary>The body of Feast's /get-online-features response.</summary>
    internal sealed record GetOnlineFeaturesResponse(
        [property: JsonPropertyName("metadata")] ResponseMetadata Metadata,
        [property: JsonPropertyName("results")] IReadOnlyList<FeatureResult> Results);

    /// <summary>The output names: join keys, then features.</summary>
    internal sealed record ResponseMetadata([property: JsonPropertyName("feature_names")] IReadOnlyList<string> FeatureNames);

    /// <summary>One output column across the entity rows; statuses are PRESENT, NULL_VALUE, NOT_FOUND or OUTSIDE_MAX_AGE.</summary>
    internal sealed record FeatureResult(
        [property: JsonPropertyName("values")] IReadOnlyList<JsonElement> Values,
        [property: JsonPropertyName("statuses")] IReadOnlyList<string> Statuses,
        [property: JsonPropertyName("event_timestamps")] IReadOnlyList<string> EventTimestamps);

    /// <summary>POST /push; <c>to</c> is online (default), offline or online_and_offline.</summary>
    internal sealed record PushRequest(
        [property: JsonPropertyName("push_source_name")] string PushSourceName,
        [property: JsonPropertyName("df")] IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> Df,
        [property: JsonPropertyName("to")] string? To,
        [property: JsonPropertyName("allow_registry_cache")] bool? AllowRegistryCache);

    /// <summary>POST /write-to-online-store.</summary>
    internal sealed record WriteToOnlineStoreRequest(
        [property: JsonPropertyName("feature_view_name")] string FeatureViewName,
        [property: JsonPropertyName("df")] IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> Df,
        [property: JsonPropertyName("allow_registry_cache")] bool? AllowRegistryCache);

    /// <summary>The answer to a push or write: the number of rows written.</summary>
    internal sealed record RowsWritten([property: JsonPropertyName("rows")] int Rows);

    /// <summary>POST /materialize; times are ISO-8601, UTC without an offset.</summary>
    internal sealed record MaterializeRequest(
        [property: JsonPropertyName("start_ts")] string StartTs,
        [property: JsonPropertyName("end_ts")] string EndTs,
        [property: JsonPropertyName("feature_views")] IReadOnlyList<string>? FeatureViews);

    /// <summary>POST /materialize-incremental.</summary>
    internal sealed record MaterializeIncrementalRequest(
        [property: JsonPropertyName("end_ts")] string EndTs,
        [property: JsonPropertyName("feature_views")] IReadOnlyList<string>? FeatureViews);

    /// <summary>What a materialization wrote, per view.</summary>
    internal sealed record MaterializeResponse([property: JsonPropertyName("views")] IReadOnlyList<MaterializedView> Views);

    /// <summary>One view's materialized interval and row count.</summary>
    internal sealed record MaterializedView(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("start")] string Start,
        [property: JsonPropertyName("end")] string End,
        [property: JsonPropertyName("rows")] long Rows);

    /// <summary>GET /health when both stores answer.</summary>
    internal sealed record Health(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("project")] string Project,
        [property: JsonPropertyName("registry_version")] long RegistryVersion);
}
