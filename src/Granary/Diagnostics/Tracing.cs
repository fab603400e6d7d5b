using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Granary.Online;

namespace Granary.Diagnostics;

/// <summary>
/// The core's spans and instruments, in one place: the facade, the read path and the materialization
/// loop start their spans here, where the store is called. Every method returns at once, allocating
/// nothing, when no listener is attached; tags are computed only for a span that records them.
/// </summary>
internal static class Tracing
{
    private static readonly string? Version = typeof(Tracing).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0];

    public static readonly ActivitySource Source = new(GranaryDiagnostics.ActivitySourceName, Version);

    private static readonly Meter Meter = new(GranaryDiagnostics.MeterName, Version);

    private static readonly Counter<long> MaterializedRows = Meter.CreateCounter<long>(
        "granary.materialization.rows", unit: "{row}", description: "Rows written to the online store by materialization, by project and feature view.");

    private static readonly Counter<long> PushedRows = Meter.CreateCounter<long>(
        "granary.push.rows", unit: "{row}", description: "Rows pushed, by project, push source and target (online, offline, online_and_offline).");

    /// <summary>Tag names, as docs/observability.md lists them.</summary>
    public static class Tags
    {
        public const string Project = "granary.project";
        public const string FeatureViews = "granary.feature_views";
        public const string FeatureView = "granary.feature_view";
        public const string EntityRows = "granary.entity_rows";
        public const string Rows = "granary.rows";
        public const string RowsFound = "granary.rows_found";
        public const string OnlineStore = "granary.online_store";
        public const string OfflineStore = "granary.offline_store";
        public const string PushSource = "granary.push_source";
        public const string PushTarget = "granary.push_target";
        public const string RegistryVersion = "granary.registry.version";
        public const string Start = "granary.start";
        public const string End = "granary.end";
    }

    /// <summary>
    /// Reads one group of views from the online store, in a <c>granary.online_store.read</c> span when
    /// someone listens. Without a listener it is the store's own call: no state machine, no allocation.
    /// </summary>
    public static Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadOnlineAsync(
        OnlineStore store, string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken)
    {
        var activity = Source.HasListeners() ? Source.StartActivity("granary.online_store.read", ActivityKind.Client) : null;
        return activity is null
            ? store.ReadAsync(project, views, keys, cancellationToken)
            : ReadTracedAsync(activity, store, project, views, keys, cancellationToken);
    }

    private static async Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadTracedAsync(
        Activity activity, OnlineStore store, string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken)
    {
        using (activity)
        {
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(Tags.Project, project);
                activity.SetTag(Tags.FeatureViews, string.Join(',', views.Select(v => v.View.Name)));
                activity.SetTag(Tags.EntityRows, keys.Count);
                activity.SetTag(Tags.OnlineStore, StoreType(store));
            }

            try
            {
                var rows = await store.ReadAsync(project, views, keys, cancellationToken).ConfigureAwait(false);
                if (activity.IsAllDataRequested)
                {
                    activity.SetTag(Tags.RowsFound, rows.Sum(view => view.Count(row => row is not null)));
                }

                return rows;
            }
            catch (Exception e)
            {
                Fail(activity, e);
                throw;
            }
        }
    }

    /// <summary>
    /// Asks the offline store for training data, in a <c>granary.offline_store.get_historical_features</c>
    /// span that ends when the store has planned the join and started streaming the rows.
    /// </summary>
    public static async Task<Offline.RetrievalResult> GetHistoricalFeaturesAsync(
        Offline.OfflineStore store, string project, Offline.HistoricalRequest request, CancellationToken cancellationToken)
    {
        using var activity = Start("granary.offline_store.get_historical_features", project, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Tags.FeatureViews, string.Join(',', request.Views.Select(v => v.View.Name).Concat(request.Aggregations.Select(a => a.View.Name))));
            activity.SetTag(Tags.OfflineStore, StoreType(store));
            activity.SetTag("granary.entities", request.Entities.GetType().Name);
        }

        try
        {
            return await store.GetHistoricalFeaturesAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Fail(activity, e))
        {
            throw;
        }
    }

    /// <summary>Starts a span of the facade (an apply, a training-data request, a push, a materialization); null when nobody listens.</summary>
    public static Activity? Start(string name, string project, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = Source.HasListeners() ? Source.StartActivity(name, kind) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Tags.Project, project);
        }

        return activity;
    }

    /// <summary>Sets a tag when the span records; the value is computed only then.</summary>
    public static void Tag<T>(this Activity? activity, string name, T value)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(name, value);
        }
    }

    /// <summary>Marks the span failed with the exception; returns false, for use in an exception filter that lets it fly.</summary>
    public static bool Fail(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.AddException(exception);
        }

        return false;
    }

    /// <summary>The store's kind for the <c>granary.online_store</c> and <c>granary.offline_store</c> tags: its class name.</summary>
    public static string StoreType(object store) => store.GetType().Name;

    public static void Materialized(string project, string view, long rows)
    {
        if (MaterializedRows.Enabled)
        {
            MaterializedRows.Add(rows, new KeyValuePair<string, object?>(Tags.Project, project), new KeyValuePair<string, object?>(Tags.FeatureView, view));
        }
    }

    public static void Pushed(string project, string pushSource, PushTarget target, long rows)
    {
        if (PushedRows.Enabled)
        {
            PushedRows.Add(
                rows,
                new KeyValuePair<string, object?>(Tags.Project, project),
                new KeyValuePair<string, object?>(Tags.PushSource, pushSource),
                new KeyValuePair<string, object?>(Tags.PushTarget, PushTargetName(target)));
        }
    }

    public static string PushTargetName(PushTarget target) => target switch
    {
        PushTarget.Online => "online",
        PushTarget.Offline => "offline",
        _ => "online_and_offline",
    };
}
