using RecordBatch = Apache.Arrow.RecordBatch;
using Granary.Aggregations;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;

namespace Granary;

/// <summary>
/// Rows given column by column to a push or an online write, checked and converted to the declared
/// types as a whole before anything is written.
/// </summary>
internal sealed class PushedRows
{
    private readonly List<(string Name, DataType Type)> _schema;
    private readonly Dictionary<string, object?[]> _values;
    private readonly DateTimeOffset[] _times;

    private readonly string? _createdColumn;

    private PushedRows(List<(string Name, DataType Type)> schema, Dictionary<string, object?[]> values, DateTimeOffset[] times, string? createdColumn)
    {
        _schema = schema;
        _values = values;
        _times = times;
        _createdColumn = createdColumn;
    }

    /// <summary>The number of rows.</summary>
    public int Count => _times.Length;

    /// <summary>
    /// Checks that <paramref name="columns"/> hold exactly the join keys, the batch source's
    /// timestamp field (and optionally its created timestamp column), every feature of
    /// <paramref name="views"/> and every column <paramref name="aggregations"/> read, all of one
    /// length, and converts every value; throws naming the column and row (counted from 0) of the
    /// first bad value, or of the first event time after <paramref name="latest"/>. A missing
    /// created column is filled with <paramref name="now"/>, the time the rows were written.
    /// </summary>
    public static PushedRows Validate(
        DefinitionSet set, string what, DataSource batchSource, IReadOnlyList<FeatureView> views,
        IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, DateTimeOffset now,
        IReadOnlyList<AggregationView>? aggregations = null, DateTimeOffset? latest = null)
    {
        aggregations ??= [];
        var expected = new List<(string Name, DataType Type, string Role, bool Required, bool IsKey)>();
        void Expect(string name, DataType type, string role, bool required, bool isKey = false)
        {
            var index = expected.FindIndex(e => e.Name == name);
            if (index < 0)
            {
                expected.Add((name, type, role, required, isKey));
            }
            else if (expected[index].Type != type)
            {
                throw new GranaryException($"{what}: column '{name}' is {expected[index].Type} as {expected[index].Role} but {type} as {role}");
            }
        }

        foreach (var (kind, name, entities) in views.Select(v => ("feature view", v.Name, v.Entities)).Concat(aggregations.Select(v => ("aggregation view", v.Name, v.Entities))))
        {
            foreach (var entity in entities.Select(n => set.FindEntity(n) ?? throw new GranaryException($"{kind} '{name}': entity '{n}' is not in the registry")))
            {
                foreach (var key in entity.JoinKeys)
                {
                    Expect(key, entity.ValueType, $"a join key of entity '{entity.Name}'", required: true, isKey: true);
                }
            }
        }

        var timestamp = new DataType(ScalarType.UnixTimestamp);
        Expect(batchSource.TimestampField, timestamp, $"the timestamp field of source '{batchSource.Name}'", required: true);
        if (batchSource.CreatedTimestampColumn is { } created)
        {
            Expect(created, timestamp, $"the created timestamp column of source '{batchSource.Name}'", required: false);
        }

        foreach (var view in views)
        {
            foreach (var feature in view.Schema)
            {
                Expect(feature.Name, feature.Dtype, $"a feature of feature view '{view.Name}'", required: true);
            }
        }

        foreach (var view in aggregations)
        {
            foreach (var column in EventsRequest.For(set, view).Columns)
            {
                Expect(column.Name, column.Dtype, $"a column aggregation view '{view.Name}' reads", required: true);
            }
        }

        var problems = new List<string>();
        var unknown = columns.Keys.Where(k => expected.All(e => e.Name != k)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"unknown column{(unknown.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unknown.Select(u => $"'{u}'"))}");
        }

        foreach (var missing in expected.Where(e => e.Required && !columns.ContainsKey(e.Name)))
        {
            problems.Add($"missing column '{missing.Name}' ({missing.Role})");
        }

        if (problems.Count > 0)
        {
            throw new GranaryException($"{what}: {string.Join("; ", problems)}; the columns are {string.Join(", ", expected.Select(e => e.Name))}");
        }

        var lengths = columns.Select(c => (c.Key, c.Value.Count)).ToList();
        if (lengths.Select(l => l.Count).Distinct().Count() > 1)
        {
            throw new GranaryException($"{what}: columns have different lengths: {string.Join(", ", lengths.Select(l => $"{l.Key}: {l.Count}"))}");
        }

        var count = lengths.Count == 0 ? 0 : lengths[0].Count;
        var values = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var (name, type, _, _, isKey) in expected)
        {
            var converted = new object?[count];
            if (!columns.TryGetValue(name, out var given))
            {
                Array.Fill(converted, now); // only the optional created column can be absent
                values[name] = converted;
                continue;
            }

            for (var row = 0; row < count; row++)
            {
                try
                {
                    converted[row] = isKey ? EntityValues.Convert(given[row], type, name) : FeatureValues.Convert(given[row], type, name);
                }
                catch (GranaryException e)
                {
                    throw new GranaryException($"{what}: column '{name}', row {row}: {e.Message}", e);
                }

                if (converted[row] is null && name == batchSource.TimestampField)
                {
                    throw new GranaryException($"{what}: column '{name}', row {row}: the event timestamp must not be null");
                }

                if (name == batchSource.TimestampField && latest is { } limit && (DateTimeOffset)converted[row]! > limit)
                {
                    throw new GranaryException(
                        $"{what}: column '{name}', row {row}: event time {(DateTimeOffset)converted[row]!:O} is in the future, " +
                        $"more than the allowed {Duration.Format(limit - now)} after the clock ({now:O}); aggregation views count events once they happen");
                }
            }

            values[name] = converted;
        }

        var times = values[batchSource.TimestampField].Select(t => (DateTimeOffset)t!).ToArray();
        return new PushedRows(expected.Select(e => (e.Name, e.Type)).ToList(), values, times, batchSource.CreatedTimestampColumn);
    }

    /// <summary>
    /// The rows of one view for the online store, one per entity key: the one with the latest event
    /// time, the last given among equal times, as consecutive writes would leave it.
    /// </summary>
    public List<OnlineRow> ForView(DefinitionSet set, FeatureView view)
    {
        var keyNames = set.JoinKeysOf(view);
        var latest = new Dictionary<EntityKey, int>();
        for (var row = 0; row < Count; row++)
        {
            var key = new EntityKey(keyNames, keyNames.Select(k => _values[k][row]!).ToArray());
            if (!latest.TryGetValue(key, out var previous) || _times[row] >= _times[previous])
            {
                latest[key] = row;
            }
        }

        return latest.OrderBy(l => l.Value)
            .Select(l => new OnlineRow(l.Key, _times[l.Value], view.Schema.Select(f => _values[f.Name][l.Value]).ToArray()))
            .ToList();
    }

    /// <summary>
    /// The events of aggregation view <paramref name="layout"/> by entity key, each entity's in the
    /// order given, the entities in first-appearance order.
    /// </summary>
    public List<(EntityKey Key, List<AggregationEvent> Events)> ForAggregation(DefinitionSet set, AggregationLayout layout)
    {
        var keyNames = set.JoinKeysOf(layout.View.Entities);
        var created = _createdColumn is { } c ? _values[c] : null;
        var byKey = new Dictionary<EntityKey, List<AggregationEvent>>();
        var order = new List<(EntityKey Key, List<AggregationEvent> Events)>();
        for (var row = 0; row < Count; row++)
        {
            var key = new EntityKey(keyNames, keyNames.Select(k => _values[k][row]!).ToArray());
            if (!byKey.TryGetValue(key, out var events))
            {
                byKey[key] = events = [];
                order.Add((key, events));
            }

            var values = new AggValue[layout.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = AggValue.From(_values[layout.Columns[i].Name][row], layout.Columns[i].Kind);
            }

            events.Add(new AggregationEvent(
                Micros.Of(_times[row]), created?[row] is DateTimeOffset time ? Micros.Of(time) : long.MinValue, values));
        }

        return order;
    }

    /// <summary>Every column as one Arrow batch, for the offline store.</summary>
    public RecordBatch ToRecordBatch() => ArrowBatches.FromColumns(
        _schema.Select(c => (c.Name, FeatureValueCodec.ClrTypeOf(c.Type), (IReadOnlyList<object?>)_values[c.Name])).ToList(), Count);
}
