using Granary.Offline;

namespace Granary;

/// <summary>A training-data request as a user states it: entity rows and the features wanted.</summary>
public sealed record HistoricalFeaturesRequest
{
    /// <summary>Where the entity rows come from.</summary>
    public required EntityInput Entities { get; init; }

    /// <summary>Feature references (<c>view:feature</c>); exclusive with <see cref="FeatureService"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>A feature service name; exclusive with <see cref="Features"/>.</summary>
    public string? FeatureService { get; init; }

    /// <summary>Whether feature columns are named <c>view__feature</c>.</summary>
    public bool FullFeatureNames { get; init; }

    /// <summary>The entity rows' time column; <c>event_timestamp</c> unless named.</summary>
    public string TimestampColumn { get; init; } = HistoricalRequest.DefaultTimestampColumn;

    /// <summary>
    /// Whether the output also has, after the features, a column <see cref="EventTimestampColumn"/> per
    /// selected feature view with the event time of the row chosen for it (null when none was, or it
    /// is outside the ttl): what <c>granary skew</c> compares served event times with. Default false.
    /// </summary>
    public bool EventTimestamps { get; init; }

    /// <summary>
    /// Whether the output rows come in the entity rows' order (default true); when false the offline store may
    /// return them in any order (see <see cref="HistoricalRequest.PreserveEntityOrder"/>).
    /// </summary>
    public bool PreserveEntityOrder { get; init; } = true;

    /// <summary>The column of <paramref name="view"/>'s chosen event time when <see cref="EventTimestamps"/> is set.</summary>
    public static string EventTimestampColumn(string view) => $"__granary_ts__{view}";
}
