using Granary.Definitions;

namespace Granary.Ui.Catalog;

/// <summary>A value an online read of an object needs: a join key or a request field.</summary>
/// <param name="Name">The entity column's name.</param>
/// <param name="Type">Its type.</param>
/// <param name="From">Where it is declared, in words: <c>entity driver</c>, <c>request source trip_request</c>.</param>
public sealed record TryInput(string Name, DataType Type, string From);
