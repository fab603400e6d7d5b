using Granary.Definitions;

namespace Granary.Online;

/// <summary>One output column of an online read across all entity rows: values, statuses and event times.</summary>
/// <param name="Values">One value per entity row; null for a missing or stale value.</param>
/// <param name="Statuses">One status per entity row.</param>
/// <param name="EventTimestamps">
/// The event time of the row each value came from; null when none was found. The features of one feature view
/// share one array: treat it as read-only.
/// </param>
public sealed record OnlineFeatureColumn(object?[] Values, FeatureStatus[] Statuses, DateTimeOffset?[] EventTimestamps)
{
    /// <summary>A join key column as the request gave it: every value present, no event times.</summary>
    internal static OnlineFeatureColumn Echo(IReadOnlyList<object?> column, int rowCount) =>
        new(column.ToArray(), Enumerable.Repeat(FeatureStatus.Present, rowCount).ToArray(), new DateTimeOffset?[rowCount]);

    /// <summary>An on-demand feature computed at read time: present unless null, no event times.</summary>
    internal static OnlineFeatureColumn Computed(object?[] values) => new(
        values, values.Select(v => v is null ? FeatureStatus.NullValue : FeatureStatus.Present).ToArray(), new DateTimeOffset?[values.Length]);

    /// <summary>
    /// An aggregation feature evaluated at read time: present unless null; a null is a null value
    /// when the entity has a state and not found when it has none. No event times: the value is of
    /// a window, not of a row.
    /// </summary>
    internal static OnlineFeatureColumn Aggregated(object?[] values, bool[] found)
    {
        var statuses = new FeatureStatus[values.Length];
        for (var r = 0; r < values.Length; r++)
        {
            statuses[r] = values[r] is not null ? FeatureStatus.Present : found[r] ? FeatureStatus.NullValue : FeatureStatus.NotFound;
        }

        return new OnlineFeatureColumn(values, statuses, new DateTimeOffset?[values.Length]);
    }

    /// <summary>The event times of a view's rows read, one array for all the view's features.</summary>
    internal static DateTimeOffset?[] EventTimesOf(IReadOnlyList<OnlineRead?> rows, int rowCount)
    {
        var times = new DateTimeOffset?[rowCount];
        for (var r = 0; r < rowCount; r++)
        {
            times[r] = rows[r]?.EventTimestamp;
        }

        return times;
    }

    /// <summary>
    /// Feature <paramref name="feature"/> (its place in the values read) of <paramref name="view"/>'s
    /// rows: not found, outside the view's ttl at <paramref name="now"/> (null, with the row's event
    /// time), or the stored value. <paramref name="times"/> are the rows' event times (<see cref="EventTimesOf"/>).
    /// </summary>
    internal static OnlineFeatureColumn Read(FeatureView view, IReadOnlyList<OnlineRead?> rows, DateTimeOffset?[] times, int feature, int rowCount, DateTimeOffset now)
    {
        var values = new object?[rowCount];
        var statuses = new FeatureStatus[rowCount];
        for (var r = 0; r < rowCount; r++)
        {
            if (rows[r] is not { } row)
            {
                statuses[r] = FeatureStatus.NotFound;
                continue;
            }

            if (row.IsOutsideTtl(view.Ttl, now))
            {
                statuses[r] = FeatureStatus.OutsideMaxAge;
                continue;
            }

            values[r] = row.Values[feature];
            statuses[r] = values[r] is null ? FeatureStatus.NullValue : FeatureStatus.Present;
        }

        return new OnlineFeatureColumn(values, statuses, times);
    }
}
