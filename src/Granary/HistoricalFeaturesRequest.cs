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
}
