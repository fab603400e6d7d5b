using Granary.Aggregations;
using Granary.Definitions;
using Granary.Diagnostics;

namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>Offline appends of this process, one at a time: appending to a single file rewrites it.</summary>
    private readonly SemaphoreSlim _offlineAppendGate = new(1, 1);

    /// <summary>
    /// Writes rows that arrived at serving time through a push source, to the online store, to the
    /// push source's batch source (so that offline retrieval sees them), or both.
    /// </summary>
    /// <param name="pushSourceName">A <c>push_source</c> of the registry.</param>
    /// <param name="columns">
    /// The rows by column, as in the <c>df</c> of Feast's <c>POST /push</c>: exactly the join keys
    /// of every view fed by the push source, the batch source's timestamp field, every feature of
    /// those feature views, every column those aggregation views read and, optionally, the batch
    /// source's created timestamp column (the push time when absent). Values may be
    /// <see cref="System.Text.Json.JsonElement"/>s or .NET values; see <see cref="Online.FeatureValues.Convert"/>.
    /// </param>
    /// <param name="to">Where the rows go.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <returns>The number of rows pushed.</returns>
    /// <remarks>
    /// <para>
    /// A push is all or nothing in this sense: every column and every value of every row is checked
    /// and converted before anything is written, so a push with one bad value writes nothing
    /// anywhere. The offline append is one new file (a part file for a glob path) written beside its
    /// target and renamed into place, so offline retrieval sees all the rows or none.
    /// </para>
    /// <para>
    /// Two stores cannot share a transaction, so a store failing part way is handled by order and
    /// idempotence: the offline append comes first, as the record the online store can always be
    /// rebuilt from by materialization; the online writes follow, one view at a time, and are
    /// monotonic in event time, so writing the same rows again changes nothing. When the call fails
    /// after validation, retry it: the online store converges, and the offline log may hold the rows
    /// twice with equal values and event times, which point-in-time retrieval resolves to the same values.
    /// </para>
    /// <para>
    /// Aggregation views fed by the push source count the rows as events at once: each entity's
    /// state is updated atomically, whatever the order events arrive in. Counting is not idempotent:
    /// retrying a push that failed after validation may count some of its events twice, online
    /// and, when its offline append had gone through, in the offline source too (a materialization
    /// of their range then makes the online state agree with the source). Event times more than <see cref="FeatureStoreOptions.FutureEventAllowance"/> after the clock
    /// reject the push. See docs/aggregations.md.
    /// </para>
    /// </remarks>
    /// <exception cref="GranaryException">The push source is unknown or a column or value is wrong; nothing was written.</exception>
    public async Task<int> PushAsync(
        string pushSourceName, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, PushTarget to = PushTarget.Online,
        CancellationToken cancellationToken = default)
    {
        using var activity = Tracing.Start("granary.push", Project);
        activity.Tag(Tracing.Tags.PushSource, pushSourceName);
        activity.Tag(Tracing.Tags.PushTarget, Tracing.PushTargetName(to));
        try
        {
            var rows = await PushUntracedAsync(pushSourceName, columns, to, cancellationToken).ConfigureAwait(false);
            activity.Tag(Tracing.Tags.Rows, rows);
            Tracing.Pushed(Project, pushSourceName, to, rows);
            return rows;
        }
        catch (Exception e) when (Tracing.Fail(activity, e))
        {
            throw;
        }
    }

    private async Task<int> PushUntracedAsync(
        string pushSourceName, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, PushTarget to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pushSourceName);
        ArgumentNullException.ThrowIfNull(columns);
        if (!Enum.IsDefined(to))
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "not a push target");
        }

        var snapshot = await GetServingSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var set = snapshot.Definitions;
        var push = set.FindSource(pushSourceName) switch
        {
            PushSource p => p,
            null => throw new GranaryException($"unknown push source '{pushSourceName}'"),
            var other => throw new GranaryException($"source '{pushSourceName}' is a {other.Kind}, not a push_source"),
        };
        var batchSource = set.FindSource(push.BatchSource)
            ?? throw new GranaryException($"push source '{push.Name}': batch source '{push.BatchSource}' is not in the registry");
        var views = set.FeatureViews.Where(v => v.Source == push.Name).ToList();
        var aggregations = set.AggregationViews.Where(v => v.Source == push.Name).ToList();
        if (views.Count == 0 && aggregations.Count == 0)
        {
            throw new GranaryException($"push source '{push.Name}' feeds no feature view; nothing would read the pushed rows");
        }

        if (to is PushTarget.Online or PushTarget.OnlineAndOffline && !views.Any(v => v.Online) && !aggregations.Any(v => v.Online))
        {
            throw new GranaryException($"push source '{push.Name}' feeds no online feature view; push with \"to\": \"offline\"");
        }

        // Events from the future would count in windows before they happen: beyond the allowance, refuse them.
        var now = TimeProvider.GetUtcNow();
        var rows = PushedRows.Validate(
            set, $"push source '{push.Name}'", batchSource, views, columns, now, aggregations, aggregations.Count > 0 ? now + Options.FutureEventAllowance : null);
        if (rows.Count == 0)
        {
            return 0;
        }

        if (to is PushTarget.Offline or PushTarget.OnlineAndOffline)
        {
            var batch = rows.ToRecordBatch();
            await _offlineAppendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Offline.WriteAsync(batchSource, batch, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _offlineAppendGate.Release();
            }
        }

        if (to is PushTarget.Online or PushTarget.OnlineAndOffline)
        {
            foreach (var view in views.Where(v => v.Online))
            {
                await _writer.WriteAsync(snapshot, view, rows.ForView(set, view), cancellationToken).ConfigureAwait(false);
            }

            var horizon = AggregationUpdates.Horizon(now, Options.FutureEventAllowance);
            foreach (var view in aggregations.Where(v => v.Online))
            {
                var layout = AggregationLayout.Of(view);
                var updates = rows.ForAggregation(set, layout).Select(e => AggregationUpdates.Add(layout, e.Key, e.Events, horizon)).ToArray();
                await Online.UpdateAggregationStatesAsync(Project, view.Name, updates, cancellationToken).ConfigureAwait(false);
            }
        }

        return rows.Count;
    }

    /// <summary>
    /// Writes rows of one feature view straight to the online store, as Feast's
    /// <c>POST /write-to-online-store</c> does: <paramref name="columns"/> hold the view's join keys,
    /// its batch source's timestamp field and every feature of the view, checked and converted as a
    /// whole before anything is written (see <see cref="PushAsync"/>). Writes are monotonic in event time.
    /// </summary>
    /// <returns>The number of rows given.</returns>
    /// <exception cref="GranaryException">The view is unknown or not online, or a column or value is wrong; nothing was written.</exception>
    public async Task<int> WriteToOnlineStoreAsync(
        string featureViewName, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, CancellationToken cancellationToken = default)
    {
        using var activity = Tracing.Start("granary.write_to_online_store", Project);
        activity.Tag(Tracing.Tags.FeatureView, featureViewName);
        try
        {
            var rows = await WriteToOnlineStoreUntracedAsync(featureViewName, columns, cancellationToken).ConfigureAwait(false);
            activity.Tag(Tracing.Tags.Rows, rows);
            return rows;
        }
        catch (Exception e) when (Tracing.Fail(activity, e))
        {
            throw;
        }
    }

    private async Task<int> WriteToOnlineStoreUntracedAsync(
        string featureViewName, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(featureViewName);
        ArgumentNullException.ThrowIfNull(columns);
        var snapshot = await GetServingSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var set = snapshot.Definitions;
        var view = set.FindFeatureView(featureViewName) ?? throw new DefinitionNotFoundException("feature view", featureViewName, $"unknown feature view '{featureViewName}'");
        if (!view.Online)
        {
            throw new GranaryException($"feature view '{view.Name}' is not online (online: false)");
        }

        var batchSource = set.BatchSourceOf(view)
            ?? throw new GranaryException($"feature view '{view.Name}': source '{view.Source}' is not in the registry");
        var rows = PushedRows.Validate(set, $"feature view '{view.Name}'", batchSource, [view], columns, TimeProvider.GetUtcNow());
        if (rows.Count > 0)
        {
            await _writer.WriteAsync(snapshot, view, rows.ForView(set, view), cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }
}
