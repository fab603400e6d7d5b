using Granary.Definitions;

namespace Granary.Aggregations;

/// <summary>
/// What a <see cref="ColumnSummary"/> of one column keeps, from the functions that read it: the
/// non-null count always, and the sum, moments, extremes, first and last values, the k latest
/// values and the distinct values only when a function needs them.
/// </summary>
internal sealed record SummaryNeeds(int Column, bool Sum, bool Moments, bool Min, bool Max, bool First, bool Last, int LatestK, bool Distinct)
{
    /// <summary>What <paramref name="function"/> needs of column <paramref name="column"/>.</summary>
    public static SummaryNeeds Of(int column, AggregationFunction function, int k) => new(
        column,
        Sum: function is AggregationFunction.Sum or AggregationFunction.Avg,
        Moments: function == AggregationFunction.Stddev,
        Min: function == AggregationFunction.Min,
        Max: function == AggregationFunction.Max,
        First: function == AggregationFunction.First,
        Last: function == AggregationFunction.Last,
        LatestK: function == AggregationFunction.LastK ? k : 0,
        Distinct: function == AggregationFunction.CountDistinct);

    /// <summary>Everything either keeps, for one column.</summary>
    public SummaryNeeds Union(SummaryNeeds other) => new(
        Column, Sum || other.Sum, Moments || other.Moments, Min || other.Min, Max || other.Max,
        First || other.First, Last || other.Last, Math.Max(LatestK, other.LatestK), Distinct || other.Distinct);

    /// <summary>A stable text of the needs, for the layout's fingerprint.</summary>
    public string Describe() =>
        $"{Column}:{(Sum ? "s" : string.Empty)}{(Moments ? "m" : string.Empty)}{(Min ? "<" : string.Empty)}{(Max ? ">" : string.Empty)}" +
        $"{(First ? "f" : string.Empty)}{(Last ? "l" : string.Empty)}{(Distinct ? "d" : string.Empty)}k{LatestK}";
}
