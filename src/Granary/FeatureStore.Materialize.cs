using Granary.Definitions;
using Granary.Diagnostics;
using Granary.Materialization;
using Granary.Registry;

namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>
    /// Writes online, for each online view (or those named), the latest row per entity key with
    /// <paramref name="start"/> &lt;= event time &lt;= <paramref name="end"/>. Writes never replace
    /// newer values, so re-running an interval is harmless; the interval is recorded only after
    /// its writes completed, so an interrupted run can simply be run again.
    /// </summary>
    public async Task<IReadOnlyList<MaterializedView>> MaterializeAsync(
        DateTimeOffset start, DateTimeOffset end, IReadOnlyList<string>? views = null,
        IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (start > end)
        {
            throw new GranaryException($"start {start:O} is after end {end:O}");
        }

        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var done = new List<MaterializedView>();
        foreach (var view in OnlineViews(snapshot.Definitions, views))
        {
            done.Add(await MaterializeViewAsync(snapshot, view, start, end, progress, cancellationToken).ConfigureAwait(false));
        }

        return done;
    }

    /// <summary>
    /// Materializes each view from where its last materialization ended (or from
    /// <paramref name="end"/> minus its ttl the first time) up to <paramref name="end"/>.
    /// </summary>
    public async Task<IReadOnlyList<MaterializedView>> MaterializeIncrementalAsync(
        DateTimeOffset end, IReadOnlyList<string>? views = null,
        IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var selected = OnlineViews(snapshot.Definitions, views);
        var starts = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var view in selected)
        {
            starts[view.Name] = snapshot.LastMaterializedEnd(view.Name)
                ?? (view.Ttl > TimeSpan.Zero
                    ? end - view.Ttl
                    : throw new GranaryException($"feature view '{view.Name}' has no ttl and was never materialized; run 'granary materialize START END' for it first"));
        }

        var done = new List<MaterializedView>();
        foreach (var view in selected)
        {
            var start = starts[view.Name];
            if (start > end)
            {
                throw new GranaryException($"feature view '{view.Name}' was already materialized up to {start:O}, after {end:O}");
            }

            done.Add(await MaterializeViewAsync(snapshot, view, start, end, progress, cancellationToken).ConfigureAwait(false));
        }

        return done;
    }

    private static List<FeatureView> OnlineViews(DefinitionSet set, IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return set.FeatureViews.Where(v => v.Online).ToList();
        }

        return names.Select(name =>
        {
            var view = set.FindFeatureView(name) ?? throw new DefinitionNotFoundException("feature view", name, $"unknown feature view '{name}'");
            return view.Online ? view : throw new GranaryException($"feature view '{name}' is not online (online: false); nothing to materialize");
        }).ToList();
    }

    private async Task<MaterializedView> MaterializeViewAsync(
        RegistrySnapshot snapshot, FeatureView view, DateTimeOffset start, DateTimeOffset end,
        IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        var begun = TimeProvider.GetTimestamp();
        var request = ToViewRequest(snapshot.Definitions, view, view.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray());
        long rows = 0;

        // Counting costs a scan of the key and time columns: only worth it when someone watches.
        var total = progress is null ? null : await Offline.CountLatestAsync(request, start, end, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in Offline.PullLatestAsync(request, start, end, cancellationToken).ConfigureAwait(false))
        {
            var online = OnlineRowBatch.From(batch, request);
            await WriteOnlineAsync(snapshot, view, online, cancellationToken).ConfigureAwait(false);
            rows += online.Count;
            progress?.Report(new MaterializationProgress(view.Name, rows, TimeProvider.GetElapsedTime(begun), Completed: false, total));
        }

        await Registry.RecordMaterializationAsync(
            Project, view.Name, new MaterializationInterval(start, end, TimeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var elapsed = TimeProvider.GetElapsedTime(begun);
        Log.Materialized(_logger, view.Name, rows, start, end, elapsed.TotalSeconds);
        progress?.Report(new MaterializationProgress(view.Name, rows, elapsed, Completed: true, total));
        return new MaterializedView(view.Name, start, end, rows, elapsed);
    }
}
