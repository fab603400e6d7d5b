using System.Collections.Concurrent;
using Granary.Definitions;
using Granary.Diagnostics;
using Granary.Online;
using Granary.Registry;
using Granary.Transformations;

namespace Granary;

public sealed partial class FeatureStore
{
    private RegistrySnapshot? _cached;
    private ReadPlanCache _readPlans = new(null);
    private long _cachedCheckedAt;

    /// <summary>
    /// How long a cached registry snapshot serves reads before its version is checked again;
    /// default 5 seconds, zero checks on every read.
    /// </summary>
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads the latest feature values of entity rows from the online store. Values older than
    /// their view's ttl at read time come back null with <see cref="FeatureStatus.OutsideMaxAge"/>,
    /// exactly as training data leaves them null.
    /// </summary>
    public async Task<OnlineResponse> GetOnlineFeaturesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = await GetServingSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var plan = GetReadPlan(snapshot, request);
        var set = snapshot.Definitions;
        var rowCount = CountRows(request.Entities);
        var names = new List<string>(plan.KeyNames.Count + plan.Outputs.Count);
        var results = new List<OnlineFeatureColumn>(names.Capacity);
        foreach (var key in plan.KeyNames)
        {
            var column = request.Entities.TryGetValue(key, out var c)
                ? c
                : throw new GranaryException($"entity rows have no column '{key}', a join key of the requested features");
            names.Add(key);
            results.Add(new OnlineFeatureColumn(
                column.ToArray(), Enumerable.Repeat(FeatureStatus.Present, rowCount).ToArray(), new DateTimeOffset?[rowCount]));
        }

        var now = TimeProvider.GetUtcNow();
        var found = new Dictionary<string, IReadOnlyList<OnlineRead?>>(StringComparer.Ordinal);
        foreach (var group in plan.Groups)
        {
            var keys = BuildKeys(set, group.KeyView, group.KeyNames, request.Entities, rowCount);
            var rows = await Online.ReadAsync(Project, group.Reads, keys, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < group.Reads.Count; i++)
            {
                found[group.Reads[i].View.Name] = rows[i];
            }
        }

        var computed = plan.OnDemand.IsEmpty ? null : ComputeOnDemand(plan.OnDemand, request.Entities, rowCount, plan.Reads, found, now);
        foreach (var output in plan.Outputs)
        {
            names.Add(output.Name);
            results.Add(output.View is { } view
                ? Column(view, found[view.Name], output.FieldIndex, rowCount, now)
                : OnDemandColumn(computed![output.Computed]));
        }

        return new OnlineResponse(names, results);
    }

    /// <summary>
    /// What to read and compute for a request's features, worked out once per registry version and
    /// request shape: resolving fifty references on every read would cost more than the read.
    /// </summary>
    private ReadPlan GetReadPlan(RegistrySnapshot snapshot, OnlineFeaturesRequest request)
    {
        var cache = Volatile.Read(ref _readPlans);
        if (cache.Snapshot is null || !IsSameApply(cache.Snapshot, snapshot))
        {
            cache = new ReadPlanCache(snapshot);
            Volatile.Write(ref _readPlans, cache);
        }

        var key = $"{string.Join('\u001f', request.Features ?? [])}\u001e{request.FeatureService}\u001e{request.FullFeatureNames}";
        if (cache.Plans.TryGetValue(key, out var plan))
        {
            return plan;
        }

        plan = BuildReadPlan(snapshot, request);
        if (cache.Plans.Count < ReadPlanCache.Capacity)
        {
            cache.Plans[key] = plan;
        }

        return plan;
    }

    private ReadPlan BuildReadPlan(RegistrySnapshot snapshot, OnlineFeaturesRequest request)
    {
        var set = snapshot.Definitions;
        var selection = Select(set, request.Features, request.FeatureService, request.FullFeatureNames);
        var stored = selection.Views.Select(v => v.View).OfType<OnDemandFeatureView>().Where(v => v.WriteToOnlineStore)
            .ToDictionary(v => v.Name, v => OnlineViewOf(set, v), StringComparer.Ordinal);
        var onDemand = PlanOnDemand(snapshot, selection with { Views = selection.Views.Where(v => !stored.ContainsKey(v.View.Name)).ToArray() });

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

        foreach (var selected in selection.Views)
        {
            if (selected.View is FeatureView view)
            {
                Want(view, selected.Features.Select(f => f.Field));
            }
            else if (stored.TryGetValue(selected.View.Name, out var storedView))
            {
                Want(storedView, storedView.Schema.Where(f => selected.Features.Any(s => s.Field.Name == f.Name)));
            }
        }

        foreach (var (name, fields) in onDemand.Features)
        {
            Want(set.FindFeatureView(name)!, fields);
        }

        var groups = reads.Values.GroupBy(r => string.Join('\u001f', set.JoinKeysOf(r.View)))
            .Select(g => new ReadGroup(
                set.JoinKeysOf(g.First().View), g.First().View, g.Select(r => new OnlineViewRead(r.View, r.Fields.ToArray())).ToArray()))
            .ToArray();
        var outputs = new List<ReadOutput>();
        foreach (var selected in selection.Views)
        {
            foreach (var feature in selected.Features)
            {
                var view = selected.View as FeatureView ?? stored.GetValueOrDefault(selected.View.Name);
                outputs.Add(view is null
                    ? new ReadOutput(feature.OutputName, null, -1, (selected.View.Name, feature.Field.Name))
                    : new ReadOutput(feature.OutputName, view, reads[view.Name].Fields.FindIndex(f => f.Name == feature.Field.Name), default));
            }
        }

        var keyNames = reads.Values.SelectMany(r => set.JoinKeysOf(r.View)).Distinct(StringComparer.Ordinal).ToArray();
        return new ReadPlan(keyNames, groups, outputs, onDemand, reads);
    }

    /// <summary>Runs the plan's compiled views row by row over the values read, as training runs them over columns.</summary>
    private Dictionary<(string View, string Feature), object?[]> ComputeOnDemand(
        OnDemandPlan plan,
        IReadOnlyDictionary<string, IReadOnlyList<object?>> entities,
        int rowCount,
        Dictionary<string, (FeatureView View, List<Field> Fields)> reads,
        Dictionary<string, IReadOnlyList<OnlineRead?>> found,
        DateTimeOffset? now)
    {
        var request = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var field in plan.RequestFields)
        {
            var column = entities.TryGetValue(field.Name, out var c)
                ? c
                : throw new GranaryException($"request field '{field.Name}' ({field.Dtype}) is missing: pass it beside the join keys");
            request[field.Name] = column.Select(v => FeatureValues.Convert(v, field.Dtype, field.Name)).ToArray();
        }

        // A row outside its ttl at read time feeds nulls, as the point-in-time join does.
        OnlineRead? Usable(string view, int row) =>
            found[view][row] is { } read && !(now is { } t && reads[view].View.Ttl > TimeSpan.Zero && read.EventTimestamp < t - reads[view].View.Ttl) ? read : null;

        var computed = new Dictionary<(string View, string Feature), object?[]>();
        foreach (var (view, bindings) in plan.Steps)
        {
            var outputs = view.Outputs.Select(_ => new object?[rowCount]).ToArray();
            var inputs = new object?[bindings.Count];
            var fieldIndex = bindings.Select(b => b.Kind == OnDemandInputKind.Feature ? reads[b.Source].Fields.FindIndex(f => f.Name == b.Name) : -1).ToArray();
            var values = new object?[outputs.Length];
            for (var r = 0; r < rowCount; r++)
            {
                for (var i = 0; i < bindings.Count; i++)
                {
                    var b = bindings[i];
                    inputs[i] = b.Kind switch
                    {
                        OnDemandInputKind.Feature => Usable(b.Source, r)?.Values[fieldIndex[i]],
                        OnDemandInputKind.RequestField => request[b.Name][r],
                        OnDemandInputKind.OnDemandOutput => computed[(b.Source, b.Name)][r],
                        OnDemandInputKind.RequestTime => now,
                        OnDemandInputKind.EventTime => b.Source.Length == 0 ? null : Usable(b.Source, r)?.EventTimestamp,
                        _ => throw new InvalidOperationException(b.Kind.ToString()),
                    };
                }

                view.EvaluateRow(inputs, values);
                for (var o = 0; o < outputs.Length; o++)
                {
                    outputs[o][r] = values[o];
                }
            }

            for (var o = 0; o < outputs.Length; o++)
            {
                computed[(view.View.Name, view.Outputs[o].Name)] = outputs[o];
            }
        }

        return computed;
    }

    private static OnlineFeatureColumn OnDemandColumn(object?[] values) => new(
        values, values.Select(v => v is null ? FeatureStatus.NullValue : FeatureStatus.Present).ToArray(), new DateTimeOffset?[values.Length]);

    private static OnlineFeatureColumn Column(FeatureView view, IReadOnlyList<OnlineRead?> rows, int feature, int rowCount, DateTimeOffset now)
    {
        var values = new object?[rowCount];
        var statuses = new FeatureStatus[rowCount];
        var times = new DateTimeOffset?[rowCount];
        for (var r = 0; r < rowCount; r++)
        {
            if (rows[r] is not { } row)
            {
                statuses[r] = FeatureStatus.NotFound;
                continue;
            }

            times[r] = row.EventTimestamp;
            if (view.Ttl > TimeSpan.Zero && row.EventTimestamp < now - view.Ttl)
            {
                statuses[r] = FeatureStatus.OutsideMaxAge;
                continue;
            }

            values[r] = row.Values[feature];
            statuses[r] = values[r] is null ? FeatureStatus.NullValue : FeatureStatus.Present;
        }

        return new OnlineFeatureColumn(values, statuses, times);
    }

    private static int CountRows(IReadOnlyDictionary<string, IReadOnlyList<object?>> entities)
    {
        if (entities.Count == 0)
        {
            throw new GranaryException("no entity rows given: pass the join keys, e.g. driver_id=1001");
        }

        var lengths = entities.Select(e => (e.Key, e.Value.Count)).ToList();
        if (lengths.Select(l => l.Count).Distinct().Count() > 1)
        {
            throw new GranaryException($"entity columns have different lengths: {string.Join(", ", lengths.Select(l => $"{l.Key}: {l.Count}"))}");
        }

        return lengths[0].Count;
    }

    private static EntityKey[] BuildKeys(
        DefinitionSet set, FeatureView view, IReadOnlyList<string> keyNames, IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, int rowCount)
    {
        var types = view.Entities.Select(n => set.FindEntity(n)!).SelectMany(e => e.JoinKeys.Select(_ => e.ValueType)).ToArray();
        var columns = keyNames.Select(k => entities.TryGetValue(k, out var c)
            ? c
            : throw new GranaryException($"entity rows have no column '{k}', a join key of feature view '{view.Name}'")).ToArray();
        var keys = new EntityKey[rowCount];
        for (var r = 0; r < rowCount; r++)
        {
            var values = new object[keyNames.Count];
            for (var k = 0; k < keyNames.Count; k++)
            {
                values[k] = EntityValues.Convert(columns[k][r], types[k], keyNames[k]);
            }

            keys[r] = new EntityKey(keyNames, values);
        }

        return keys;
    }

    /// <summary>The registry snapshot for serving, re-read when its version changed (checked at most every <see cref="RegistryRefreshInterval"/>).</summary>
    public async Task<RegistrySnapshot> GetServingSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && TimeProvider.GetElapsedTime(Interlocked.Read(ref _cachedCheckedAt)) < RegistryRefreshInterval)
        {
            return cached;
        }

        return await RefreshServingSnapshotAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The read plans of one apply; replaced whole when another is served.</summary>
    private sealed class ReadPlanCache(RegistrySnapshot? snapshot)
    {
        /// <summary>Distinct request shapes kept; more are planned on every read rather than grow without bound.</summary>
        public const int Capacity = 1024;

        public RegistrySnapshot? Snapshot { get; } = snapshot;

        public ConcurrentDictionary<string, ReadPlan> Plans { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The views of one key set, read in one call.</summary>
    private sealed record ReadGroup(IReadOnlyList<string> KeyNames, FeatureView KeyView, IReadOnlyList<OnlineViewRead> Reads);

    /// <summary>An output column: a feature read from <see cref="View"/> at <see cref="FieldIndex"/>, or computed.</summary>
    private sealed record ReadOutput(string Name, FeatureView? View, int FieldIndex, (string View, string Feature) Computed);

    private sealed record ReadPlan(
        IReadOnlyList<string> KeyNames,
        IReadOnlyList<ReadGroup> Groups,
        IReadOnlyList<ReadOutput> Outputs,
        OnDemandPlan OnDemand,
        Dictionary<string, (FeatureView View, List<Field> Fields)> Reads);
}
