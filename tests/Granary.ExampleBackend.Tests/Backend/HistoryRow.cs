namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>One source row as a view reads it: its event time, its created time and the view's features, converted to their dtypes.</summary>
/// <param name="EventTime">The row's event time (UTC).</param>
/// <param name="Created">The row's created time, when the source has that column and the row a value.</param>
/// <param name="Values">The requested features' values, in request order.</param>
internal sealed record HistoryRow(DateTimeOffset EventTime, DateTimeOffset? Created, object?[] Values)
{
    /// <summary>Orders by event time, then created time, a missing created time first.</summary>
    public int CompareTo(HistoryRow other)
    {
        var byEvent = EventTime.CompareTo(other.EventTime);
        return byEvent != 0 ? byEvent : Nullable.Compare(Created, other.Created);
    }
}
