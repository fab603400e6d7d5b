using Granary.Definitions;

namespace Granary.Online;

/// <summary>A view to read and the features wanted from it.</summary>
/// <param name="View">The view.</param>
/// <param name="Features">The wanted features, in the order values are returned.</param>
public sealed record OnlineViewRead(FeatureView View, IReadOnlyList<Field> Features);
