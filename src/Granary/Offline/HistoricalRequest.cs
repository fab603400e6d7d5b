namespace Granary.Offline;

/// <summary>
/// A point-in-time-correct training data request. For each entity row and feature view, the row
/// chosen is the one with the greatest event time not after the entity row's time (and, with a ttl,
/// not before that time minus the ttl), ties broken by the greatest created time. For each entity
/// row and aggregation view, each feature aggregates the events of the row's keys in its window
/// before the row's time (<see cref="AggregationRequest"/>).
/// </summary>
/// <param name="Entities">Where the entity rows come from.</param>
/// <param name="Views">The feature views and features, in output order.</param>
/// <param name="TimestampColumn">The entity rows' time column.</param>
public sealed record HistoricalRequest(
    EntityInput Entities,
    IReadOnlyList<ViewRequest> Views,
    string TimestampColumn = HistoricalRequest.DefaultTimestampColumn)
{
    /// <summary>The entity rows' time column unless another is named.</summary>
    public const string DefaultTimestampColumn = "event_timestamp";

    /// <summary>The aggregation views and features; none by default.</summary>
    public IReadOnlyList<AggregationRequest> Aggregations { get; init; } = [];

    /// <summary>
    /// The order of the feature columns in the output: every output name of <see cref="Views"/> and
    /// <see cref="Aggregations"/> once. Null (the default) puts the views' columns first, then the
    /// aggregations', each in request order.
    /// </summary>
    public IReadOnlyList<string>? FeatureOrder { get; init; }

    /// <summary>
    /// Whether the output rows come in the entity rows' order (the default, true). When false the store may
    /// return them in any order, which saves a sort of the whole result; a store that gains nothing from it
    /// may ignore it. <c>granary skew</c>, which only counts rows, asks for false.
    /// </summary>
    public bool PreserveEntityOrder { get; init; } = true;

    /// <summary>Whether the request reads any source: a feature view or an aggregation view.</summary>
    public bool HasSources => Views.Count > 0 || Aggregations.Count > 0;

    /// <summary>The distinct sources the request reads, feature views' first.</summary>
    public IEnumerable<Definitions.DataSource> Sources =>
        Views.Select(v => v.Source).Concat(Aggregations.Select(a => a.Source)).DistinctBy(s => s.Name);

    /// <summary>The feature columns in output order (see <see cref="FeatureOrder"/>).</summary>
    /// <exception cref="ArgumentException"><see cref="FeatureOrder"/> is not an ordering of the output names.</exception>
    public IReadOnlyList<string> FeatureColumns()
    {
        var natural = Views.SelectMany(v => v.OutputNames).Concat(Aggregations.SelectMany(a => a.OutputNames)).ToArray();
        if (FeatureOrder is null)
        {
            return natural;
        }

        if (FeatureOrder.Count != natural.Length || !FeatureOrder.Order(StringComparer.Ordinal).SequenceEqual(natural.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new ArgumentException("the feature order must name every output column of the views and aggregations once", nameof(FeatureOrder));
        }

        return FeatureOrder;
    }
}
