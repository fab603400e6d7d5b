using Granary.Definitions;

namespace Granary.Offline;

/// <summary>A feature to retrieve and the column name it gets in the output.</summary>
/// <param name="Field">The feature as declared in its view.</param>
/// <param name="OutputName">The output column: the feature name, or <c>view__feature</c> with full names.</param>
public sealed record RequestedFeature(Field Field, string OutputName);
