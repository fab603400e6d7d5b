using Granary.Definitions;

namespace Granary.Offline;

/// <summary>One feature view's part of a retrieval, with every reference already resolved.</summary>
/// <param name="View">The view.</param>
/// <param name="Source">The source its history is read from.</param>
/// <param name="JoinKeys">The join keys of the view's entities, in order.</param>
/// <param name="Features">The features to read, in output order.</param>
public sealed record ViewRequest(
    FeatureView View,
    DataSource Source,
    IReadOnlyList<JoinKey> JoinKeys,
    IReadOnlyList<RequestedFeature> Features);
