using Granary.Definitions;

namespace Granary.Offline;

/// <summary>A join key column and the type its entity declares.</summary>
/// <param name="Name">The column name in entity rows and (after field mapping) in the source.</param>
/// <param name="Type">The entity's value type.</param>
public sealed record JoinKey(string Name, DataType Type);
