namespace Granary.Materialization;

/// <summary>What a materialization did for one view.</summary>
/// <param name="View">The view.</param>
/// <param name="Start">The interval's start (inclusive).</param>
/// <param name="End">The interval's end (inclusive).</param>
/// <param name="Rows">Rows written online: one per entity key with a row (or, for an aggregation view, with an event) in the interval.</param>
/// <param name="Elapsed">How long the view took.</param>
public sealed record MaterializedView(string View, DateTimeOffset Start, DateTimeOffset End, long Rows, TimeSpan Elapsed)
{
    /// <summary>For an aggregation view, the source events read (then <see cref="Rows"/> counts the entities whose state was written); null for a feature view.</summary>
    public long? Events { get; init; }
}
