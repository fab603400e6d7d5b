namespace Granary.Statistics;

/// <summary>
/// Compare the values of features in <paramref name="Current"/> with those in <paramref name="Reference"/>.
/// The column lists are aligned: item i of each is the same feature (its <see cref="StatisticsColumn.Feature"/>
/// and type), found under that side's column name.
/// </summary>
/// <param name="Reference">The values drift is measured from.</param>
/// <param name="ReferenceColumns">Each feature's column in the reference, in report order; numeric or categorical.</param>
/// <param name="Current">The values compared with them.</param>
/// <param name="CurrentColumns">The same features' columns in the current input.</param>
public sealed record DistributionRequest(
    StatisticsInput Reference, IReadOnlyList<StatisticsColumn> ReferenceColumns, StatisticsInput Current, IReadOnlyList<StatisticsColumn> CurrentColumns);
