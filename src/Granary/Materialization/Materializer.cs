using Granary.Definitions;
using Granary.Diagnostics;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Microsoft.Extensions.Logging;

namespace Granary.Materialization;

/// <summary>
/// The materialization loop of a project: for each online feature view, the latest row per entity
/// key in an interval is pulled from the offline store and written online; for each aggregation
/// view, the interval's events replace that interval in each entity's state
/// (<see cref="AggregationMaterializer"/>). Only then is the interval recorded in the registry, so
/// an interrupted run can simply be run again.
/// </summary>
/// <param name="project">The project.</param>
/// <param name="registry">Where intervals are recorded.</param>
/// <param name="offline">Where rows are pulled from.</param>
/// <param name="writer">Where rows are written.</param>
/// <param name="aggregations">Materializes aggregation views.</param>
/// <param name="timeProvider">The clock of elapsed times and recorded intervals.</param>
/// <param name="logger">Where each view's completion is logged.</param>
internal sealed class Materializer(
    string project, FeatureRegistry registry, OfflineStore offline, OnlineWriter writer, AggregationMaterializer aggregations,
    TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Materializes each online view of <paramref name="snapshot"/> (or those named) over [<paramref name="start"/>, <paramref name="end"/>].</summary>
    /// <exception cref="GranaryException">A named view is unknown or not online.</exception>
    public async Task<IReadOnlyList<MaterializedView>> MaterializeAsync(
        RegistrySnapshot snapshot, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<string>? views,
        IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        var done = new List<MaterializedView>();
        foreach (var view in OnlineViews(snapshot.Definitions, views))
        {
            done.Add(await MaterializeAnyAsync(snapshot, view, start, end, progress, cancellationToken).ConfigureAwait(false));
        }

        return done;
    }

    /// <summary>
    /// Materializes each view from where its last materialization ended (or from
    /// <paramref name="end"/> minus its ttl the first time) up to <paramref name="end"/>; every
    /// view's start is checked before any is written.
    /// </summary>
    /// <exception cref="GranaryException">
    /// A named view is unknown or not online, a view without ttl was never materialized, or a view
    /// was already materialized past <paramref name="end"/>.
    /// </exception>
    public async Task<IReadOnlyList<MaterializedView>> MaterializeIncrementalAsync(
        RegistrySnapshot snapshot, DateTimeOffset end, IReadOnlyList<string>? views,
        IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        var selected = OnlineViews(snapshot.Definitions, views);
        var starts = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var view in selected)
        {
            var last = snapshot.LastMaterializedEnd(view.Name);
            if (last > end)
            {
                throw new GranaryException($"{What(view)} '{view.Name}' was already materialized up to {last:O}, after {end:O}");
            }

            starts[view.Name] = view switch
            {
                // Late events: re-read the allowed lateness before the last end; the first time,
                // everything a read at END can see.
                AggregationView a => last is { } l
                    ? l - (a.AllowedLateness ?? AggregationView.DefaultAllowedLateness)
                    : end - a.Features.Max(f => f.Window + f.Hop),
                FeatureView f => last
                    ?? (f.Ttl > TimeSpan.Zero
                        ? end - f.Ttl
                        : throw new GranaryException($"feature view '{f.Name}' has no ttl and was never materialized; run 'granary materialize START END' for it first")),
                _ => throw new InvalidOperationException(view.Kind),
            };
        }

        var done = new List<MaterializedView>();
        foreach (var view in selected)
        {
            done.Add(await MaterializeAnyAsync(snapshot, view, starts[view.Name], end, progress, cancellationToken).ConfigureAwait(false));
        }

        return done;
    }

    /// <summary>The online feature and aggregation views, or those named, in order.</summary>
    private static List<Definition> OnlineViews(DefinitionSet set, IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return set.FeatureViews.Where(v => v.Online).Cast<Definition>().Concat(set.AggregationViews.Where(v => v.Online)).ToList();
        }

        return names.Select(name =>
        {
            (Definition view, bool isOnline) = set.FindFeatureView(name) is { } f ? (f, f.Online)
                : set.FindAggregationView(name) is { } a ? ((Definition)a, a.Online)
                : throw new DefinitionNotFoundException("feature view", name, $"unknown feature view '{name}'");
            return isOnline ? view : throw new GranaryException($"{What(view)} '{name}' is not online (online: false); nothing to materialize");
        }).ToList();
    }

    private static string What(Definition view) => view is AggregationView ? "aggregation view" : "feature view";

    private Task<MaterializedView> MaterializeAnyAsync(
        RegistrySnapshot snapshot, Definition view, DateTimeOffset start, DateTimeOffset end,
        IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken) => view switch
        {
            AggregationView a => MaterializeAggregationAsync(snapshot, a, start, end, progress, cancellationToken),
            _ => MaterializeViewAsync(snapshot, (FeatureView)view, start, end, progress, cancellationToken),
        };

    private async Task<MaterializedView> MaterializeAggregationAsync(
        RegistrySnapshot snapshot, AggregationView view, DateTimeOffset start, DateTimeOffset end,
        IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        var begun = timeProvider.GetTimestamp();
        var (entities, events) = await aggregations.MaterializeAsync(
            snapshot, view, start, end,
            progress is null ? null : written => progress.Report(new MaterializationProgress(view.Name, written, timeProvider.GetElapsedTime(begun), Completed: false)),
            cancellationToken).ConfigureAwait(false);
        await registry.RecordMaterializationAsync(
            project, view.Name, new MaterializationInterval(start, end, timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var elapsed = timeProvider.GetElapsedTime(begun);
        Log.MaterializedAggregation(logger, view.Name, entities, events, start, end, elapsed.TotalSeconds);
        progress?.Report(new MaterializationProgress(view.Name, entities, elapsed, Completed: true));
        return new MaterializedView(view.Name, start, end, entities, elapsed) { Events = events };
    }

    private async Task<MaterializedView> MaterializeViewAsync(
        RegistrySnapshot snapshot, FeatureView view, DateTimeOffset start, DateTimeOffset end,
        IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        using var activity = Tracing.Start("granary.materialize", project);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Tracing.Tags.FeatureView, view.Name);
            activity.SetTag(Tracing.Tags.Start, start.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag(Tracing.Tags.End, end.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag(Tracing.Tags.OfflineStore, Tracing.StoreType(offline));
        }

        try
        {
            var done = await MaterializeViewUntracedAsync(snapshot, view, start, end, progress, cancellationToken).ConfigureAwait(false);
            activity.Tag(Tracing.Tags.Rows, done.Rows);
            Tracing.Materialized(project, view.Name, done.Rows);
            return done;
        }
        catch (Exception e) when (Tracing.Fail(activity, e))
        {
            throw;
        }
    }

    private async Task<MaterializedView> MaterializeViewUntracedAsync(
        RegistrySnapshot snapshot, FeatureView view, DateTimeOffset start, DateTimeOffset end,
        IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        var begun = timeProvider.GetTimestamp();
        var request = ViewRequest.For(snapshot.Definitions, view, view.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray());
        long rows = 0;

        // Counting costs a scan of the key and time columns: only worth it when someone watches.
        var total = progress is null ? null : await offline.CountLatestAsync(request, start, end, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in offline.PullLatestAsync(request, start, end, cancellationToken).ConfigureAwait(false))
        {
            var online = OnlineRowBatch.From(batch, request);
            using var batchActivity = Tracing.Start("granary.materialize.batch", project);
            batchActivity.Tag(Tracing.Tags.FeatureView, view.Name);
            batchActivity.Tag(Tracing.Tags.Rows, online.Count);
            await writer.WriteAsync(snapshot, view, online, cancellationToken).ConfigureAwait(false);
            rows += online.Count;
            progress?.Report(new MaterializationProgress(view.Name, rows, timeProvider.GetElapsedTime(begun), Completed: false, total));
        }

        await registry.RecordMaterializationAsync(
            project, view.Name, new MaterializationInterval(start, end, timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var elapsed = timeProvider.GetElapsedTime(begun);
        Log.Materialized(logger, view.Name, rows, start, end, elapsed.TotalSeconds);
        progress?.Report(new MaterializationProgress(view.Name, rows, elapsed, Completed: true, total));
        return new MaterializedView(view.Name, start, end, rows, elapsed);
    }
}
