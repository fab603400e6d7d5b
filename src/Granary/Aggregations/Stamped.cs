namespace Granary.Aggregations;

/// <summary>
/// A value with its event's time and created time, for <c>first</c>, <c>last</c> and <c>last_k</c>:
/// events are ordered by event time, then created time (a missing one earliest), then value.
/// </summary>
/// <param name="Time">The event time in microseconds.</param>
/// <param name="Created">The created time in microseconds; <see cref="long.MinValue"/> when the source has none or it is null.</param>
/// <param name="Value">The non-null value.</param>
internal readonly record struct Stamped(long Time, long Created, AggValue Value)
{
    /// <summary>The spec's order of events: by time, created time, then value (the greater value is later).</summary>
    public static int Compare(in Stamped a, in Stamped b, ValueKind kind)
    {
        var order = a.Time.CompareTo(b.Time);
        if (order == 0)
        {
            order = a.Created.CompareTo(b.Created);
        }

        return order != 0 ? order : AggValue.Compare(a.Value, b.Value, kind);
    }
}
