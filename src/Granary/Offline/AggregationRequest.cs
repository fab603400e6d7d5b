using Granary.Definitions;

namespace Granary.Offline;

/// <summary>
/// One aggregation view's part of a retrieval, with every reference already resolved: for each entity
/// row at time t, each feature aggregates the events of the row's keys with window start(t) &lt;= event
/// time &lt; t (see <see cref="AggregationFeature.WindowStart"/> and docs/aggregations.md).
/// </summary>
/// <param name="View">The view.</param>
/// <param name="Source">The source its events are read from (a push source's batch source).</param>
/// <param name="JoinKeys">The join keys of the view's entities, in order.</param>
/// <param name="Features">The features to compute, in output order.</param>
public sealed record AggregationRequest(
    AggregationView View,
    DataSource Source,
    IReadOnlyList<JoinKey> JoinKeys,
    IReadOnlyList<RequestedAggregation> Features)
{
    /// <summary>
    /// Resolves <paramref name="view"/>'s source (a push source's batch source) and the join keys of
    /// its entities against <paramref name="set"/> and asks for <paramref name="features"/> under
    /// their output names.
    /// </summary>
    /// <exception cref="GranaryException">The source, an entity or a feature is not in <paramref name="set"/>, or the view was never applied (its column types are unknown).</exception>
    public static AggregationRequest For(DefinitionSet set, AggregationView view, IReadOnlyList<SelectedFeature> features)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(features);
        var source = set.BatchSourceOf(view.Source)
            ?? throw new GranaryException($"aggregation view '{view.Name}': source '{view.Source}' is not in the registry");
        var keys = view.Entities
            .Select(name => set.FindEntity(name) ?? throw new GranaryException($"aggregation view '{view.Name}': entity '{name}' is not in the registry"))
            .SelectMany(entity => entity.JoinKeys.Select(k => new JoinKey(k, entity.ValueType)))
            .ToArray();
        var requested = features.Select(f => new RequestedAggregation(
            view.FindFeature(f.Field.Name) ?? throw new GranaryException($"aggregation view '{view.Name}' has no feature '{f.Field.Name}'"),
            f.OutputName)).ToArray();
        return new AggregationRequest(view, source, keys, requested);
    }

    /// <summary>The output columns this view adds, in order.</summary>
    public IEnumerable<string> OutputNames => Features.Select(f => f.OutputName);
}
