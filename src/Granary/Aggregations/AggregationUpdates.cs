using Granary.Online;

namespace Granary.Aggregations;

/// <summary>
/// The read-modify-writes that pushes and materialization send to an online store, built here
/// once: decode the stored bytes (none, or another layout's, is an empty state), change, prune to
/// the horizon, encode.
/// </summary>
internal static class AggregationUpdates
{
    /// <summary>
    /// The horizon of an update made at <paramref name="now"/>: the earliest read time the state
    /// keeps exact answers for, the clock minus the allowance for clocks that lag.
    /// </summary>
    public static long Horizon(DateTimeOffset now, TimeSpan allowance) => Micros.Of(now - allowance);

    /// <summary>Adds <paramref name="events"/> of <paramref name="key"/> to its state (a push).</summary>
    public static AggregationStateUpdate Add(AggregationLayout layout, EntityKey key, IReadOnlyList<AggregationEvent> events, long horizon) =>
        new(key, current =>
        {
            var state = Decode(layout, current);
            foreach (var e in events)
            {
                state.Add(e, horizon);
            }

            return Finish(state, horizon);
        });

    /// <summary>
    /// Replaces what the state of <paramref name="key"/> knows of [<paramref name="start"/>,
    /// <paramref name="end"/>) (microseconds) by <paramref name="range"/>, the state of all the
    /// events of that range (a materialization). <paramref name="range"/> is only read.
    /// </summary>
    public static AggregationStateUpdate Replace(AggregationLayout layout, EntityKey key, AggregationState range, long start, long end, long horizon) =>
        new(key, current =>
        {
            var state = Decode(layout, current);
            state.ReplaceRange(range, start, end);
            return Finish(state, horizon);
        });

    private static AggregationState Decode(AggregationLayout layout, byte[]? current) =>
        (current is null ? null : AggregationStateCodec.Decode(layout, current)) ?? new AggregationState(layout);

    private static byte[]? Finish(AggregationState state, long horizon)
    {
        state.Prune(horizon);
        return state.IsEmpty ? null : AggregationStateCodec.Encode(state);
    }
}
