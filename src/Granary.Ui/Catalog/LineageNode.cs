using Granary.Definitions;

namespace Granary.Ui.Catalog;

/// <summary>An object in the lineage graph.</summary>
/// <param name="Kind">Its kind, which decides its column.</param>
/// <param name="Definition">The object.</param>
public sealed record LineageNode(UiKind Kind, Definition Definition)
{
    /// <summary>The object's name.</summary>
    public string Name => Definition.Name;
}
