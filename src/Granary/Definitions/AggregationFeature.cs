namespace Granary.Definitions;

/// <summary>
/// One output of an aggregation view: an aggregation over one window, with its feature name, type,
/// window length and hop (see <see cref="AggregationView.Features"/>).
/// </summary>
/// <param name="Field">The feature's name and type.</param>
/// <param name="Aggregation">The entry it comes from.</param>
/// <param name="WindowText">The window as written.</param>
/// <param name="Window">The window's length.</param>
/// <param name="Hop">The hop: <see cref="TimeSpan.Zero"/> for an exact sliding window.</param>
public sealed record AggregationFeature(Field Field, Aggregation Aggregation, string WindowText, TimeSpan Window, TimeSpan Hop)
{
    /// <summary>
    /// The start of the window for a read or entity row at <paramref name="time"/>: the window holds
    /// the events with start &lt;= event time &lt; <paramref name="time"/>. Exact windows start at
    /// time - window; tiled ones at time - window rounded down to a multiple of the hop from the Unix epoch.
    /// </summary>
    public DateTimeOffset WindowStart(DateTimeOffset time) => AggregationView.WindowStart(time, Window, Hop);
}
