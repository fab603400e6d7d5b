namespace Granary.Definitions;

/// <summary>A view and the features taken from it; null <see cref="Features"/> means all of them.</summary>
/// <param name="View">The feature view or on-demand view name.</param>
/// <param name="Features">The selected feature names, or null for every feature.</param>
public sealed record FeatureProjection(string View, IReadOnlyList<string>? Features = null);
