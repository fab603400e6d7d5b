using Granary.Definitions;

namespace Granary.Offline;

/// <summary>An aggregation feature to compute and the column name it gets in the output.</summary>
/// <param name="Feature">The feature: its function, column, window and hop, and its result type.</param>
/// <param name="OutputName">The output column: the feature name, or <c>view__feature</c> with full names.</param>
public sealed record RequestedAggregation(AggregationFeature Feature, string OutputName);
