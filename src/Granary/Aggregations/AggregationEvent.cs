namespace Granary.Aggregations;

/// <summary>One event of an entity as the state keeps it raw.</summary>
/// <param name="Time">The event time in microseconds since the Unix epoch.</param>
/// <param name="Created">The created time in microseconds; <see cref="long.MinValue"/> when absent.</param>
/// <param name="Values">One value per column of the layout (<see cref="AggregationLayout.Columns"/>).</param>
internal readonly record struct AggregationEvent(long Time, long Created, AggValue[] Values)
{
    /// <summary>The order raw events are kept in: by time, then created time.</summary>
    public static int CompareTimes(AggregationEvent a, AggregationEvent b)
    {
        var order = a.Time.CompareTo(b.Time);
        return order != 0 ? order : a.Created.CompareTo(b.Created);
    }
}
