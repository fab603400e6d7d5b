namespace Granary.Ui.Catalog;

/// <summary>A lineage node and the top-left corner of its box.</summary>
/// <param name="Node">The node.</param>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
public sealed record PlacedNode(LineageNode Node, double X, double Y);
