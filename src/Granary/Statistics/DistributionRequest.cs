namespace Granary.Statistics;

/// <summary>Compare the values of <paramref name="Columns"/> in <paramref name="Current"/> with those in <paramref name="Reference"/>.</summary>
/// <param name="Reference">The values drift is measured from.</param>
/// <param name="Current">The values compared with them.</param>
/// <param name="Columns">The features, numeric or categorical, in report order; each names its column in both inputs.</param>
public sealed record DistributionRequest(StatisticsInput Reference, StatisticsInput Current, IReadOnlyList<StatisticsColumn> Columns);
