namespace Granary.Definitions;

/// <summary>A view of a <see cref="FeatureSelection"/> and the features chosen from it.</summary>
/// <param name="View">A <see cref="FeatureView"/> or an <see cref="OnDemandFeatureView"/>.</param>
/// <param name="Features">The chosen features, in output order.</param>
public sealed record SelectedView(Definition View, IReadOnlyList<SelectedFeature> Features);
