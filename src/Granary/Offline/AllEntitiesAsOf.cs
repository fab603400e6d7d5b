namespace Granary.Offline;

/// <summary>
/// One row per distinct entity key found in the requested views' sources, all at one time: the
/// table for batch scoring. The output is ordered by the join keys.
/// </summary>
/// <param name="AsOf">The time every key is looked up at.</param>
public sealed record AllEntitiesAsOf(DateTimeOffset AsOf) : EntityInput;
