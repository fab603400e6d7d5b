using Granary.Aggregations;
using Granary.Definitions;
using Granary.Registry;
using Granary.Transformations;

namespace Granary.Online;

/// <summary>
/// What an online read of one request shape takes under one apply's definitions: the join keys to
/// echo, the views to read (grouped by key set, one store call per group), the on-demand views to
/// compute and where each output column comes from. Worked out once and cached by
/// <see cref="OnlineReadPlanner"/>: resolving fifty references on every read would cost more than the read.
/// </summary>
internal sealed class OnlineReadPlan
{
    private OnlineReadPlan(
        IReadOnlyList<string> keyNames,
        IReadOnlyList<ReadGroup> groups,
        IReadOnlyList<AggregationRead> aggregations,
        IReadOnlyList<ReadOutput> outputs,
        OnDemandPlan onDemand,
        IReadOnlyDictionary<string, OnlineViewRead> reads)
    {
        KeyNames = keyNames;
        Groups = groups;
        Aggregations = aggregations;
        Outputs = outputs;
        OnDemand = onDemand;
        Reads = reads;
    }

    /// <summary>Every join key of the views read, in first-use order: the columns echoed first in the response.</summary>
    public IReadOnlyList<string> KeyNames { get; }

    /// <summary>The views to read, by key set.</summary>
    public IReadOnlyList<ReadGroup> Groups { get; }

    /// <summary>The aggregation views to read, each evaluated at the read's time.</summary>
    public IReadOnlyList<AggregationRead> Aggregations { get; }

    /// <summary>The response's feature columns, in request order.</summary>
    public IReadOnlyList<ReadOutput> Outputs { get; }

    /// <summary>The on-demand views computed at read time (those stored online are read instead).</summary>
    public OnDemandPlan OnDemand { get; }

    /// <summary>Per feature view read, the view and its features in the order values come back.</summary>
    public IReadOnlyDictionary<string, OnlineViewRead> Reads { get; }

    /// <summary>Plans the read of <paramref name="request"/>'s features under <paramref name="snapshot"/>'s definitions.</summary>
    /// <exception cref="GranaryException">A feature is unknown, or a view read is not online.</exception>
    public static OnlineReadPlan Build(RegistrySnapshot snapshot, OnlineFeaturesRequest request, OnDemandPlanner onDemand)
    {
        var set = snapshot.Definitions;
        var selection = FeatureSelection.From(set, request.Features, request.FeatureService, request.FullFeatureNames);
        var stored = selection.Views.Select(v => v.View).OfType<OnDemandFeatureView>().Where(v => v.WriteToOnlineStore)
            .ToDictionary(v => v.Name, v => StoredOnDemandView.StorageOf(set, v), StringComparer.Ordinal);
        var computed = onDemand.Plan(snapshot, selection with { Views = selection.Views.Where(v => !stored.ContainsKey(v.View.Name)).ToArray() });

        // Every feature view to read, with the features wanted from it: those selected, then those
        // the on-demand views read, then the stored on-demand views.
        var reads = new Dictionary<string, (FeatureView View, List<Field> Fields)>(StringComparer.Ordinal);
        void Want(FeatureView view, IEnumerable<Field> fields)
        {
            if (!view.Online)
            {
                throw new GranaryException($"feature view '{view.Name}' is not online (online: false); it can be used for training data only");
            }

            if (!reads.TryGetValue(view.Name, out var read))
            {
                read = (view, []);
                reads[view.Name] = read;
            }

            read.Fields.AddRange(fields.Where(f => !read.Fields.Contains(f)));
        }

        var aggregations = new Dictionary<string, AggregationRead>(StringComparer.Ordinal);
        foreach (var selected in selection.Views)
        {
            if (selected.View is FeatureView view)
            {
                Want(view, selected.Features.Select(f => f.Field));
            }
            else if (selected.View is AggregationView aggregation)
            {
                aggregations[aggregation.Name] = AggregationRead.Of(set, aggregation, selected.Features);
            }
            else if (stored.TryGetValue(selected.View.Name, out var storedView))
            {
                Want(storedView, storedView.Schema.Where(f => selected.Features.Any(s => s.Field.Name == f.Name)));
            }
        }

        foreach (var (name, fields) in computed.Features)
        {
            Want(set.FindFeatureView(name)!, fields);
        }

        var viewReads = reads.Values.ToDictionary(r => r.View.Name, r => new OnlineViewRead(r.View, r.Fields.ToArray()), StringComparer.Ordinal);
        var groups = reads.Values.GroupBy(r => string.Join('\u001f', set.JoinKeysOf(r.View)))
            .Select(g => ReadGroup.Of(set, g.First().View, g.Select(r => viewReads[r.View.Name]).ToArray()))
            .ToArray();
        var outputs = new List<ReadOutput>();
        foreach (var selected in selection.Views)
        {
            foreach (var feature in selected.Features)
            {
                if (aggregations.TryGetValue(selected.View.Name, out var aggregation))
                {
                    outputs.Add(new ReadOutput(feature.OutputName, null, aggregation.IndexOf(feature.Field.Name), default) { Aggregation = aggregation });
                    continue;
                }

                var view = selected.View as FeatureView ?? stored.GetValueOrDefault(selected.View.Name);
                outputs.Add(view is null
                    ? new ReadOutput(feature.OutputName, null, -1, (selected.View.Name, feature.Field.Name))
                    : new ReadOutput(feature.OutputName, view, reads[view.Name].Fields.FindIndex(f => f.Name == feature.Field.Name), default));
            }
        }

        var keyNames = reads.Values.SelectMany(r => set.JoinKeysOf(r.View))
            .Concat(aggregations.Values.SelectMany(a => a.KeyNames))
            .Distinct(StringComparer.Ordinal).ToArray();
        return new OnlineReadPlan(keyNames, groups, aggregations.Values.ToArray(), outputs, computed, viewReads);
    }

    /// <summary>The views of one key set, read in one call.</summary>
    /// <param name="KeyNames">The join keys, in entity order.</param>
    /// <param name="KeyTypes">The type of each join key, as its entity declares it.</param>
    /// <param name="KeyView">The view the keys were taken from, for messages.</param>
    /// <param name="Reads">The views and features to read.</param>
    public sealed record ReadGroup(IReadOnlyList<string> KeyNames, IReadOnlyList<DataType> KeyTypes, FeatureView KeyView, IReadOnlyList<OnlineViewRead> Reads)
    {
        /// <summary>The group of <paramref name="reads"/>, keyed like <paramref name="keyView"/>.</summary>
        public static ReadGroup Of(DefinitionSet set, FeatureView keyView, IReadOnlyList<OnlineViewRead> reads) => new(
            set.JoinKeysOf(keyView),
            keyView.Entities.Select(n => set.FindEntity(n)!).SelectMany(e => e.JoinKeys.Select(_ => e.ValueType)).ToArray(),
            keyView,
            reads);

        /// <summary>The entity key of each request row, its values converted to the entities' types.</summary>
        /// <exception cref="GranaryException">A join key column is missing or holds a value of the wrong type.</exception>
        public EntityKey[] KeysOf(IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, int rowCount) =>
            EntityKeysOf(KeyNames, KeyTypes, $"feature view '{KeyView.Name}'", entities, rowCount);
    }

    /// <summary>An aggregation view to read: its state per entity, and the features evaluated from it.</summary>
    /// <param name="View">The aggregation view.</param>
    /// <param name="Layout">Its state's layout.</param>
    /// <param name="KeyNames">The join keys, in entity order.</param>
    /// <param name="KeyTypes">The type of each join key.</param>
    /// <param name="Features">The wanted features as indexes into <see cref="AggregationLayout.Features"/>, in first-request order.</param>
    public sealed record AggregationRead(
        AggregationView View, AggregationLayout Layout, IReadOnlyList<string> KeyNames, IReadOnlyList<DataType> KeyTypes, IReadOnlyList<int> Features)
    {
        /// <summary>The read of <paramref name="selected"/> features of <paramref name="view"/>.</summary>
        /// <exception cref="GranaryException">The view is not online.</exception>
        public static AggregationRead Of(DefinitionSet set, AggregationView view, IReadOnlyList<SelectedFeature> selected)
        {
            if (!view.Online)
            {
                throw new GranaryException($"aggregation view '{view.Name}' is not online (online: false); it can be used for training data only");
            }

            var layout = AggregationLayout.Of(view);
            var features = selected.Select(s => layout.Features.ToList().FindIndex(f => f.Feature.Field.Name == s.Field.Name)).Distinct().ToArray();
            return new AggregationRead(
                view,
                layout,
                set.JoinKeysOf(view.Entities),
                view.Entities.Select(n => set.FindEntity(n)!).SelectMany(e => e.JoinKeys.Select(_ => e.ValueType)).ToArray(),
                features);
        }

        /// <summary>The place of feature <paramref name="name"/> in <see cref="Features"/>.</summary>
        public int IndexOf(string name)
        {
            for (var i = 0; i < Features.Count; i++)
            {
                if (Layout.Features[Features[i]].Feature.Field.Name == name)
                {
                    return i;
                }
            }

            throw new GranaryException($"aggregation view '{View.Name}' has no feature '{name}'");
        }

        /// <summary>The entity key of each request row, its values converted to the entities' types.</summary>
        /// <exception cref="GranaryException">A join key column is missing or holds a value of the wrong type.</exception>
        public EntityKey[] KeysOf(IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, int rowCount) =>
            EntityKeysOf(KeyNames, KeyTypes, $"aggregation view '{View.Name}'", entities, rowCount);

        /// <summary>
        /// The wanted features of each row at <paramref name="time"/> from the states read (one per
        /// row, null for none): per feature, one value per row; and per row whether a state was found.
        /// </summary>
        public (object?[][] Values, bool[] Found) Evaluate(IReadOnlyList<byte[]?> states, DateTimeOffset time)
        {
            var micros = Micros.Of(time);
            var values = new object?[Features.Count][];
            for (var f = 0; f < values.Length; f++)
            {
                values[f] = new object?[states.Count];
            }

            var found = new bool[states.Count];
            var row = new object?[Features.Count];
            for (var r = 0; r < states.Count; r++)
            {
                var state = states[r] is { } bytes ? AggregationStateCodec.Decode(Layout, bytes) : null;
                found[r] = state is not null;
                AggregationEvaluator.Evaluate(Layout, state, micros, Features, row);
                for (var f = 0; f < row.Length; f++)
                {
                    values[f][r] = row[f];
                }
            }

            return (values, found);
        }
    }

    /// <summary>The entity key of each request row for <paramref name="names"/>, named in messages as <paramref name="what"/>.</summary>
    private static EntityKey[] EntityKeysOf(
        IReadOnlyList<string> names, IReadOnlyList<DataType> types, string what, IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, int rowCount)
    {
        var columns = new IReadOnlyList<object?>[names.Count];
        for (var k = 0; k < columns.Length; k++)
        {
            columns[k] = entities.TryGetValue(names[k], out var c)
                ? c
                : throw new GranaryException($"entity rows have no column '{names[k]}', a join key of {what}");
        }

        var keys = new EntityKey[rowCount];
        for (var r = 0; r < rowCount; r++)
        {
            var values = new object[names.Count];
            for (var k = 0; k < names.Count; k++)
            {
                values[k] = EntityValues.Convert(columns[k][r], types[k], names[k]);
            }

            keys[r] = new EntityKey(names, values);
        }

        return keys;
    }

    /// <summary>An output column: a feature read from <see cref="View"/> at <see cref="FieldIndex"/>, evaluated from <see cref="Aggregation"/>, or computed.</summary>
    /// <param name="Name">The output name.</param>
    /// <param name="View">The feature view (or stored on-demand view's storage) read; null for an aggregation feature or a feature computed at read time.</param>
    /// <param name="FieldIndex">The feature's place in the values read from <paramref name="View"/>, or in the features of <see cref="Aggregation"/>.</param>
    /// <param name="Computed">The on-demand view and output that compute it, when neither <paramref name="View"/> nor <see cref="Aggregation"/> is set.</param>
    public sealed record ReadOutput(string Name, FeatureView? View, int FieldIndex, (string View, string Feature) Computed)
    {
        /// <summary>The aggregation view read, for an aggregation feature.</summary>
        public AggregationRead? Aggregation { get; init; }
    }
}
