namespace Granary.Statistics;

/// <summary>Describe the values of <paramref name="Columns"/> in <paramref name="Input"/>.</summary>
/// <param name="Input">Where the values are.</param>
/// <param name="Columns">The features, in report order.</param>
public sealed record StatisticsRequest(StatisticsInput Input, IReadOnlyList<StatisticsColumn> Columns);
