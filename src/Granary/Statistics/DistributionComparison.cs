namespace Granary.Statistics;

/// <summary>
/// The counts a drift measure needs, as the offline store computed them for one feature: for a
/// numeric feature the reference's deciles (deduplicated) and each side's values per bin, with the
/// Kolmogorov-Smirnov statistic; for a categorical one each side's count per value.
/// </summary>
public sealed record DistributionComparison
{
    /// <summary>The feature: <c>view__feature</c>.</summary>
    public required string Feature { get; init; }

    /// <summary><see cref="FeatureStatistics.NumericKind"/> or <see cref="FeatureStatistics.CategoricalKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Non-null (for numbers: finite) reference values.</summary>
    public required long ReferenceCount { get; init; }

    /// <summary>Non-null (for numbers: finite) current values.</summary>
    public required long CurrentCount { get; init; }

    /// <summary>
    /// Numeric: the reference's deciles p10..p90, equal ones once; bin i holds values v with
    /// <c>Edges[i-1] &lt; v &lt;= Edges[i]</c> (the first bin everything up to <c>Edges[0]</c>, the last everything above the last edge).
    /// </summary>
    public IReadOnlyList<double> Edges { get; init; } = [];

    /// <summary>Numeric: reference values per bin (one more than <see cref="Edges"/>); categorical: per category of <see cref="Categories"/>.</summary>
    public IReadOnlyList<long> ReferenceCounts { get; init; } = [];

    /// <summary>Current values per bin or category, aligned with <see cref="ReferenceCounts"/>.</summary>
    public IReadOnlyList<long> CurrentCounts { get; init; } = [];

    /// <summary>Categorical: every value seen on either side, in ordinal order.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Numeric: the greatest distance between the two sides' empirical distribution functions; null when a side has no values.</summary>
    public double? KsStatistic { get; init; }
}
