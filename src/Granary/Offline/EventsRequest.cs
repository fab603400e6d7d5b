using Granary.Definitions;

namespace Granary.Offline;

/// <summary>
/// The raw events of a source that an aggregation view reads (<see cref="OfflineStore.PullEventsAsync"/>),
/// with every reference resolved.
/// </summary>
/// <param name="Source">The source read: the view's, or its push source's batch source.</param>
/// <param name="JoinKeys">The join keys of the view's entities, in order.</param>
/// <param name="Columns">The columns the aggregations read (after field mapping), each with its type in the source.</param>
public sealed record EventsRequest(DataSource Source, IReadOnlyList<JoinKey> JoinKeys, IReadOnlyList<Field> Columns)
{
    /// <summary>The events <paramref name="view"/> aggregates, resolved against <paramref name="set"/>.</summary>
    /// <exception cref="GranaryException">The view's source or an entity is not in <paramref name="set"/>, or the view was not applied (a column type is unknown).</exception>
    public static EventsRequest For(DefinitionSet set, AggregationView view)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(view);
        var source = set.BatchSourceOf(view.Source)
            ?? throw new GranaryException($"aggregation view '{view.Name}': source '{view.Source}' is not in the registry");
        var keys = view.Entities
            .Select(name => set.FindEntity(name) ?? throw new GranaryException($"aggregation view '{view.Name}': entity '{name}' is not in the registry"))
            .SelectMany(entity => entity.JoinKeys.Select(k => new JoinKey(k, entity.ValueType)))
            .ToArray();
        var columns = new List<Field>();
        foreach (var aggregation in view.Aggregations)
        {
            if (aggregation.Column is not { } name || columns.Any(c => c.Name == name))
            {
                continue;
            }

            var type = aggregation.ColumnType
                ?? throw new GranaryException($"aggregation view '{view.Name}': the type of column '{name}' is not known; apply the view so that its source is read");
            columns.Add(new Field { Name = name, Dtype = type });
        }

        return new EventsRequest(source, keys, columns);
    }
}
