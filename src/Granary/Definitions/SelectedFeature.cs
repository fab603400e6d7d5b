namespace Granary.Definitions;

/// <summary>A chosen feature and its output name.</summary>
/// <param name="Field">The feature as declared.</param>
/// <param name="OutputName">The feature name, or <c>view__feature</c> with full feature names.</param>
public sealed record SelectedFeature(Field Field, string OutputName);
