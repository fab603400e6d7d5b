namespace Granary.Definitions;

/// <summary>One entry of an aggregation view: a function of a source column over one or more windows.</summary>
public sealed record Aggregation
{
    /// <summary>The source column (after field mapping); null only for <see cref="AggregationFunction.Count"/> of events.</summary>
    public string? Column { get; init; }

    /// <summary>The function.</summary>
    public required AggregationFunction Function { get; init; }

    /// <summary>The windows as written (<c>30m</c>, <c>1h</c>, <c>7d</c>, <c>3600s</c>); feature names print them so.</summary>
    public required IReadOnlyList<string> Windows { get; init; }

    /// <summary>For <see cref="AggregationFunction.LastK"/>: how many values, 1 to 100.</summary>
    public int? K { get; init; }

    /// <summary>The feature's name instead of the generated one; only with a single window.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The column's type in the source, filled by apply from the data (null for a count of events,
    /// and in definitions not yet validated against the data).
    /// </summary>
    public DataType? ColumnType { get; init; }
}
