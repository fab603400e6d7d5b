namespace Granary.Definitions;

/// <summary>What an aggregation computes over the events of a window; see docs/aggregations.md.</summary>
public enum AggregationFunction
{
    /// <summary><c>count</c>: events (without a column) or non-null values (with one); int64, 0 for an empty window.</summary>
    Count,

    /// <summary><c>sum</c> of the non-null values: int64 for an integer column, float64 for a float one.</summary>
    Sum,

    /// <summary><c>avg</c>: the mean of the non-null values, float64.</summary>
    Avg,

    /// <summary><c>min</c>: the least non-null value, of the column's type.</summary>
    Min,

    /// <summary><c>max</c>: the greatest non-null value, of the column's type.</summary>
    Max,

    /// <summary><c>first</c>: the non-null value of the earliest event (ties: earliest created time), of the column's type.</summary>
    First,

    /// <summary><c>last</c>: the non-null value of the latest event (ties: latest created time), of the column's type.</summary>
    Last,

    /// <summary><c>last_k</c>: the k latest non-null values, newest first, as a list of the column's type.</summary>
    LastK,

    /// <summary><c>stddev</c>: the sample standard deviation of the non-null values (n - 1), float64; null under two values.</summary>
    Stddev,

    /// <summary><c>count_distinct</c>: distinct non-null values, exact, int64; 0 for an empty window.</summary>
    CountDistinct,
}
