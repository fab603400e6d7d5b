using Granary.Definitions;
using Granary.Online;
using Granary.Registry;

namespace Granary;

public sealed partial class FeatureStore
{
    private RegistrySnapshot? _cached;
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
        var set = snapshot.Definitions;
        var selection = Select(set, request.Features, request.FeatureService, request.FullFeatureNames);
        var rowCount = CountRows(request.Entities);
        var views = new List<(FeatureView View, SelectedView Selected, IReadOnlyList<string> Keys)>();
        foreach (var selected in selection.Views)
        {
            if (selected.View is not FeatureView view)
            {
                throw new GranaryException($"'{selected.View.Name}' is an on-demand view; on-demand views are not supported yet");
            }

            if (!view.Online)
            {
                throw new GranaryException($"feature view '{view.Name}' is not online (online: false); it can be used for training data only");
            }

            views.Add((view, selected, set.JoinKeysOf(view)));
        }

        var names = new List<string>();
        var results = new List<OnlineFeatureColumn>();
        var now = TimeProvider.GetUtcNow();
        foreach (var key in views.SelectMany(v => v.Keys).Distinct(StringComparer.Ordinal))
        {
            var column = request.Entities.TryGetValue(key, out var given)
                ? given
                : throw new GranaryException($"entity rows have no column '{key}', a join key of the requested features");
            names.Add(key);
            results.Add(new OnlineFeatureColumn(
                column.ToArray(), Enumerable.Repeat(FeatureStatus.Present, rowCount).ToArray(), new DateTimeOffset?[rowCount]));
        }

        foreach (var group in views.GroupBy(v => string.Join('\u001f', v.Keys)))
        {
            var keys = BuildKeys(set, group.First().View, group.First().Keys, request.Entities, rowCount);
            var reads = group.Select(v => new OnlineViewRead(v.View, v.Selected.Features.Select(f => f.Field).ToArray())).ToArray();
            var found = await Online.ReadAsync(Project, reads, keys, cancellationToken).ConfigureAwait(false);
            var index = 0;
            foreach (var (view, selected, _) in group)
            {
                var rows = found[index++];
                for (var f = 0; f < selected.Features.Count; f++)
                {
                    names.Add(selected.Features[f].OutputName);
                    results.Add(Column(view, rows, f, rowCount, now));
                }
            }
        }

        // Groups may interleave views; restore the requested order: keys, then features as selected.
        var order = names.Take(names.Count - selection.OutputNames.Count()).Concat(selection.OutputNames).ToList();
        var byName = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => results[x.i]);
        return new OnlineResponse(order, order.Select(n => byName[n]).ToArray());
    }

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
}
