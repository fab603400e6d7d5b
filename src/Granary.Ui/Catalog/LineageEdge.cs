namespace Granary.Ui.Catalog;

/// <summary><paramref name="From"/> feeds <paramref name="To"/>.</summary>
/// <param name="From">The input.</param>
/// <param name="To">What is computed from it.</param>
public sealed record LineageEdge(LineageNode From, LineageNode To);
