namespace Granary.Ui.Catalog;

/// <summary>A lineage edge from the right side of its input's box to the left side of its output's.</summary>
/// <param name="Edge">The edge.</param>
/// <param name="X1">Start x.</param>
/// <param name="Y1">Start y.</param>
/// <param name="X2">End x.</param>
/// <param name="Y2">End y.</param>
public sealed record PlacedEdge(LineageEdge Edge, double X1, double Y1, double X2, double Y2);
