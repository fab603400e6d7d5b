using Granary.Definitions;

namespace Granary.Aggregations;

/// <summary>A source column an aggregation view reads, as its state holds it.</summary>
/// <param name="Name">The column's name (after field mapping).</param>
/// <param name="Type">Its type in the source.</param>
/// <param name="Kind">How its values are held; <see cref="ValueKind.NullOnly"/> when it is only counted.</param>
internal sealed record AggregationColumn(string Name, DataType Type, ValueKind Kind);
