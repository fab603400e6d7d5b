using Granary.Definitions;

namespace Granary.Aggregations;

/// <summary>How one feature of an aggregation view is evaluated from the state.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Column">The index of its column in <see cref="AggregationLayout.Columns"/>; -1 for a count of events.</param>
/// <param name="Level">The index of its hop's level in <see cref="AggregationLayout.Levels"/>; -1 for an exact window.</param>
/// <param name="Slot">Its column's summary in that level's tiles; -1 for a count of events or an exact window.</param>
/// <param name="HeadSlot">Its column's summary in the finest level's tiles; -1 for a count of events or an exact window.</param>
/// <param name="Window">The window in microseconds.</param>
/// <param name="Hop">The hop in microseconds; 0 for an exact window.</param>
/// <param name="Needs">What the feature's function needs of a summary.</param>
internal sealed record FeaturePlan(
    AggregationFeature Feature, int Column, int Level, int Slot, int HeadSlot, long Window, long Hop, SummaryNeeds Needs)
{
    /// <summary>The function.</summary>
    public AggregationFunction Function => Feature.Aggregation.Function;
}
