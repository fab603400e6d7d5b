namespace Granary.Online;

/// <summary>A stored row of one view for one key: its event time and the requested values.</summary>
/// <param name="EventTimestamp">When the stored row happened (UTC).</param>
/// <param name="Values">The requested features' values, in request order.</param>
public sealed record OnlineRead(DateTimeOffset EventTimestamp, IReadOnlyList<object?> Values)
{
    /// <summary>
    /// Whether the row is too old to serve at <paramref name="now"/> for a view whose ttl is
    /// <paramref name="ttl"/> (<see cref="TimeSpan.Zero"/>: no limit): the point-in-time join's rule,
    /// applied at read time to feature columns and on-demand inputs alike, so that serving leaves
    /// null what training leaves null.
    /// </summary>
    internal bool IsOutsideTtl(TimeSpan ttl, DateTimeOffset now) => ttl > TimeSpan.Zero && EventTimestamp < now - ttl;
}
