namespace Granary.Offline;

/// <summary>
/// A point-in-time-correct training data request. For each entity row and view, the row chosen is
/// the one with the greatest event time not after the entity row's time (and, with a ttl, not
/// before that time minus the ttl), ties broken by the greatest created time.
/// </summary>
/// <param name="Entities">Where the entity rows come from.</param>
/// <param name="Views">The views and features, in output order.</param>
/// <param name="TimestampColumn">The entity rows' time column.</param>
public sealed record HistoricalRequest(
    EntityInput Entities,
    IReadOnlyList<ViewRequest> Views,
    string TimestampColumn = HistoricalRequest.DefaultTimestampColumn)
{
    /// <summary>The entity rows' time column unless another is named.</summary>
    public const string DefaultTimestampColumn = "event_timestamp";
}
