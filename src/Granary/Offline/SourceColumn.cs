using Granary.Definitions;

namespace Granary.Offline;

/// <summary>A column of a source as the offline store sees it.</summary>
/// <param name="Name">The column name in the source (before field mapping).</param>
/// <param name="Type">The Granary type it maps to, or null when it has none.</param>
/// <param name="IsTimestamp">Whether the column holds instants (with or without a time zone).</param>
/// <param name="NativeType">The store's own type name, for messages.</param>
public sealed record SourceColumn(string Name, DataType? Type, bool IsTimestamp, string NativeType);
