using Apache.Arrow;

namespace Granary.Offline;

public abstract partial class OfflineStore
{
    /// <summary>The name of the created-time column in batches from <see cref="PullEventsAsync"/>.</summary>
    public const string CreatedTimestampColumn = "__created_timestamp";

    /// <summary>
    /// Streams the events of <see cref="EventsRequest.Source"/> with <paramref name="start"/> &lt;=
    /// event time &lt; <paramref name="end"/> (half-open, so that adjacent ranges never share an
    /// event), for materializing aggregation views. Batches have the join keys (cast to their
    /// entities' types), <see cref="EventTimestampColumn"/> and <see cref="CreatedTimestampColumn"/>
    /// (UTC; the created time is null when the source has no created column), then the requested
    /// columns by name, cast to their types. Rows are sorted by the join keys, so that all events of
    /// an entity are consecutive, then by event time and created time (nulls first). Rows with a null
    /// join key or event time are left out: no entity row can ever match them.
    /// </summary>
    public abstract IAsyncEnumerable<RecordBatch> PullEventsAsync(
        EventsRequest request, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default);
}
