using Granary.Definitions;
using Granary.Diagnostics;
using Granary.FeatureLogs;
using Granary.Materialization;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.Transformations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary;

/// <summary>
/// The facade a user holds: applies definitions to the registry, produces training data from the
/// offline store and serves features from the online store, always from the same definitions.
/// </summary>
public sealed partial class FeatureStore : IAsyncDisposable
{
    private readonly Lazy<OnlineStore> _online;
    private readonly Lazy<OfflineStore> _offline;
    private readonly ILogger _logger;
    private readonly OnDemandPlanner _onDemand;
    private readonly OnlineReadPlanner _readPlans;
    private readonly OnlineWriter _writer;
    private readonly Lazy<Materializer> _materializer;
    private readonly FeatureLogger _featureLogs;

    /// <summary>Creates a store over already built backends; <see cref="FeatureStoreBuilder"/> is the usual way.</summary>
    /// <param name="config">The repo configuration.</param>
    /// <param name="registry">The registry.</param>
    /// <param name="offline">The offline store.</param>
    /// <param name="online">The online store, built on first use.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="loggerFactory">Where the store logs; nowhere when null.</param>
    /// <param name="options">The store's settings; the defaults when null.</param>
    /// <param name="sourceKinds">The source kinds its definitions may use; the core's when null.</param>
    /// <exception cref="ArgumentException">A setting of <paramref name="options"/> is out of its range.</exception>
    public FeatureStore(
        RepoConfig config, FeatureRegistry registry, OfflineStore offline, Lazy<OnlineStore> online,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, FeatureStoreOptions? options = null, SourceKinds? sourceKinds = null)
        : this(config, registry, Eager(offline), online, timeProvider, loggerFactory, options, sourceKinds)
    {
    }

    /// <summary>
    /// Creates a store whose offline store is built on first use, as <see cref="FeatureStoreBuilder"/> does: a host
    /// that only serves (online reads, online writes) runs without the offline store's backend installed.
    /// </summary>
    /// <inheritdoc cref="FeatureStore(RepoConfig, FeatureRegistry, OfflineStore, Lazy{OnlineStore}, TimeProvider?, ILoggerFactory?, FeatureStoreOptions?, SourceKinds?)"/>
    public FeatureStore(
        RepoConfig config, FeatureRegistry registry, Lazy<OfflineStore> offline, Lazy<OnlineStore> online,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, FeatureStoreOptions? options = null, SourceKinds? sourceKinds = null)
    {
        SourceKinds = sourceKinds ?? new SourceKinds();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FeatureStore>();
        Config = config ?? throw new ArgumentNullException(nameof(config));
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _offline = offline ?? throw new ArgumentNullException(nameof(offline));
        _online = online ?? throw new ArgumentNullException(nameof(online));
        TimeProvider = timeProvider ?? TimeProvider.System;
        Options = options ?? new FeatureStoreOptions();
        Options.Validate();
        _refreshInterval = Options.RegistryRefresh == RegistryRefreshMode.ByHost ? TimeSpan.MaxValue : Options.RegistryRefreshInterval;
        _onDemand = new OnDemandPlanner(Options.Transformations);
        _readPlans = new OnlineReadPlanner(_onDemand);
        _writer = new OnlineWriter(_online, Project, _onDemand);
        _materializer = new Lazy<Materializer>(() => new Materializer(
            Project, Registry, Offline, _writer, new AggregationMaterializer(Project, Offline, _online, TimeProvider, Options.FutureEventAllowance), TimeProvider, _logger));
        _featureLogs = new FeatureLogger(Options.FeatureLogs, Config.RepoPath, () => Offline, _onDemand, TimeProvider, _logger);
    }

    /// <summary>The repo configuration.</summary>
    public RepoConfig Config { get; }

    /// <summary>The project all calls act on.</summary>
    public string Project => Config.Project;

    /// <summary>The registry.</summary>
    public FeatureRegistry Registry { get; }

    /// <summary>The offline store, built on first use.</summary>
    public OfflineStore Offline => _offline.Value;

    /// <summary>The online store, built on first use.</summary>
    public OnlineStore Online => _online.Value;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The source kinds this store's definitions may use; pass them to <see cref="FeatureRepo.LoadDefinitions"/>.</summary>
    public SourceKinds SourceKinds { get; }

    /// <summary>The settings the store was built with.</summary>
    public FeatureStoreOptions Options { get; }

    /// <summary>The applied definitions; throws when the project was never applied.</summary>
    public async Task<RegistrySnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) =>
        await Registry.GetAsync(Project, cancellationToken).ConfigureAwait(false)
        ?? throw new GranaryException($"project '{Project}' has not been applied; run 'granary apply' first");

    /// <summary>Validates <paramref name="desired"/> against the data and compares it with the registry; changes nothing.</summary>
    /// <exception cref="RepoValidationException">The definitions do not match the data.</exception>
    public async Task<ApplyPlan> PlanAsync(DefinitionSet desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var errors = DefinitionValidator.Validate(desired).ToList();
        errors.AddRange(desired.FeatureServices.Where(s => s.Logging?.Table is not null && !Offline.WritesFeatureLogTables).Select(s =>
            $"{(desired.LocationOf(s) is { } at ? $"{at}: " : string.Empty)}feature_service '{s.Name}': logging.table needs an offline store that writes tables (postgres); this one does not, so log to files with logging.path"));
        if (errors.Count == 0)
        {
            // The data completes the definitions: aggregation views learn their columns' types.
            (var sourceErrors, desired) = await SourceSchemaValidator.ValidateAsync(desired, Offline, cancellationToken).ConfigureAwait(false);
            errors.AddRange(sourceErrors);
        }

        if (errors.Count > 0)
        {
            throw new RepoValidationException(errors);
        }

        var current = await Registry.GetAsync(Project, cancellationToken).ConfigureAwait(false);
        return new ApplyPlan(desired, current?.Version ?? 0, RegistryDiff.Compute(current?.Definitions, desired), current?.Definitions);
    }

    /// <summary>
    /// Validates <paramref name="desired"/>, checks that the online store can be built and answers, then writes
    /// the definitions to the registry and prepares the online store: storage for the online views, none for
    /// deleted ones. Definitions equal to the registered ones write nothing (the version stays); the online store is
    /// still prepared, which finishes a preparation an earlier apply could not complete.
    /// </summary>
    /// <exception cref="RepoValidationException">The definitions do not match the data, or the online store's type is unknown; nothing was written.</exception>
    /// <exception cref="GranaryException">
    /// The online store cannot be reached (nothing was written), or it failed after the registry was written, which
    /// the message says; applying again once it answers completes the apply.
    /// </exception>
    public async Task<ApplyResult> ApplyAsync(DefinitionSet desired, CancellationToken cancellationToken = default)
    {
        using var activity = Tracing.Start("granary.apply", Project);
        try
        {
            var result = await ApplyPlannedAsync(desired, cancellationToken).ConfigureAwait(false);
            activity.Tag(Tracing.Tags.RegistryVersion, result.Version);
            activity.Tag("granary.created", result.Diff.Created.Count);
            activity.Tag("granary.updated", result.Diff.Updated.Count);
            activity.Tag("granary.deleted", result.Diff.Deleted.Count);
            return result;
        }
        catch (Exception e) when (Tracing.Fail(activity, e))
        {
            throw;
        }
    }

    private async Task<ApplyResult> ApplyPlannedAsync(DefinitionSet desired, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(desired, cancellationToken).ConfigureAwait(false);
        var storage = OnlineStoragePlan.Compute(plan.Registered, plan.Desired, plan.Diff);

        // A repo that serves nothing online (every view online: false) applies without an online store.
        var servesOnline = !storage.IsEmpty || plan.Desired.AggregationViews.Any(v => v.Online);
        if (plan.Registered is not null && plan.Diff.IsEmpty)
        {
            if (servesOnline)
            {
                await OnlineStepAsync("nothing changed in the registry", () => Online.UpdateAsync(Project, storage.Keep, [], cancellationToken)).ConfigureAwait(false);
            }

            return new ApplyResult(plan.Diff, plan.BaseVersion);
        }

        // Before anything is written: the online store's type must be known and the store must answer.
        if (servesOnline)
        {
            await OnlineStepAsync("nothing was written", () => Online.PingAsync(cancellationToken)).ConfigureAwait(false);
        }

        var snapshot = await Registry.ApplyAsync(Project, plan.Desired, plan.BaseVersion, cancellationToken).ConfigureAwait(false);
        if (storage.ResetMaterializations.Count > 0)
        {
            await Registry.ResetMaterializationsAsync(Project, storage.ResetMaterializations, cancellationToken).ConfigureAwait(false);
        }

        var written = $"registry version {snapshot.Version} was written; applying again once the online store answers prepares it";
        if (storage.Rebuild.Count > 0)
        {
            await OnlineStepAsync(written, () => Online.UpdateAsync(Project, [], storage.Rebuild, cancellationToken)).ConfigureAwait(false);
        }

        if (storage.Keep.Count > 0 || storage.Delete.Count > 0)
        {
            await OnlineStepAsync(written, () => Online.UpdateAsync(Project, storage.Keep, storage.Delete, cancellationToken)).ConfigureAwait(false);
        }

        foreach (var view in storage.DeleteAggregationStates)
        {
            await OnlineStepAsync(written, () => Online.DeleteAggregationStatesAsync(Project, view, cancellationToken)).ConfigureAwait(false);
        }

        Log.Applied(_logger, Project, snapshot.Version, plan.Diff.Created.Count, plan.Diff.Updated.Count, plan.Diff.Deleted.Count);
        return new ApplyResult(plan.Diff, snapshot.Version);
    }

    /// <summary>Runs a step of an apply on the online store; a failure that is not the user's names the store and what state the apply left.</summary>
    private static async Task OnlineStepAsync(string state, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (RepoValidationException or OperationCanceledException) && e is not GranaryException { InnerException: null })
        {
            throw new GranaryException($"the online store failed: {(e is GranaryException ? e.Message : $"{e.GetType().Name}: {e.Message}")}; {state}", e);
        }
    }

    /// <summary>Removes the project's online data and its registry entry.</summary>
    public async Task TeardownAsync(CancellationToken cancellationToken = default)
    {
        await Online.TeardownAsync(Project, cancellationToken).ConfigureAwait(false);
        await Registry.DeleteProjectAsync(Project, cancellationToken).ConfigureAwait(false);
        Log.TornDown(_logger, Project);
    }

    /// <summary>
    /// Produces point-in-time-correct training data; see <see cref="HistoricalRequest"/> for the rules.
    /// </summary>
    public async Task<RetrievalResult> GetHistoricalFeaturesAsync(
        HistoricalFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var set = snapshot.Definitions;
        var selection = FeatureSelection.From(set, request.Features, request.FeatureService, request.FullFeatureNames);
        var plan = _onDemand.Plan(snapshot, selection);

        // The selected views in order, then those only on-demand views read; each also carries,
        // under hidden names, the features (and a feature view its event time) on-demand views read.
        var eventTimes = plan.EventTimeViews.ToHashSet(StringComparer.Ordinal);
        // Skew asks for the event times of the selected feature views as well (aggregation views have none).
        var shownEventTimes = request.EventTimestamps ? selection.Views.Where(v => v.View is FeatureView).Select(v => v.View.Name).ToArray() : [];
        eventTimes.UnionWith(shownEventTimes);
        var requests = ViewsRead(selection, plan.Features, set.FindFeatureView)
            .Select(v => ViewRequest.For(set, v.View, v.Features) with
            {
                EventTimestampOutputName = eventTimes.Contains(v.View.Name) ? HiddenEventTimeColumn(v.View.Name) : null,
            })
            .ToList();
        var aggregations = ViewsRead(selection, plan.AggregationFeatures, set.FindAggregationView)
            .Select(v => AggregationRequest.For(set, v.View, v.Features))
            .ToList();

        // The store gives the selected columns in the order asked for, the hidden ones after them.
        var selected = selection.Views.Where(v => v.View is not OnDemandFeatureView).SelectMany(v => v.Features.Select(f => f.OutputName)).ToArray();
        var hiddenColumns = requests.SelectMany(r => r.OutputNames).Concat(aggregations.SelectMany(a => a.OutputNames)).Except(selected, StringComparer.Ordinal);
        var historical = new HistoricalRequest(request.Entities, requests, request.TimestampColumn)
        {
            Aggregations = aggregations,
            FeatureOrder = [.. selected, .. hiddenColumns],
            PreserveEntityOrder = request.PreserveEntityOrder,
        };
        var result = await Tracing.GetHistoricalFeaturesAsync(Offline, Project, historical, cancellationToken).ConfigureAwait(false);
        if (plan.IsEmpty)
        {
            return result;
        }

        try
        {
            var entityColumns = result.ColumnNames.Take(result.ColumnNames.Count - historical.FeatureColumns().Count).ToArray();
            return new OnDemandRetrievalResult(
                result, plan, selection, entityColumns, request.TimestampColumn, HiddenFeatureColumn, HiddenEventTimeColumn,
                shownEventTimes.Select(HiddenEventTimeColumn).ToArray());
        }
        catch
        {
            // The store's result holds a connection (and the entity rows) until disposed.
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The views of kind <typeparamref name="T"/> a retrieval reads: the selected ones in order with
    /// their features, then those only on-demand views read; each with the features on-demand views
    /// read (<paramref name="hidden"/>) added under hidden names.
    /// </summary>
    private static IEnumerable<(T View, SelectedFeature[] Features)> ViewsRead<T>(
        FeatureSelection selection, IReadOnlyDictionary<string, IReadOnlyList<Field>> hidden, Func<string, T?> find)
        where T : Definition
    {
        var views = selection.Views.Where(v => v.View is T).Select(v => (View: (T)v.View, v.Features)).ToList();
        views.AddRange(hidden.Keys.Where(name => views.All(v => v.View.Name != name)).Select(name => (find(name)!, (IReadOnlyList<SelectedFeature>)[])));
        return views.Select(v => (v.View, v.Features
            .Concat((hidden.GetValueOrDefault(v.View.Name) ?? []).Select(f => new SelectedFeature(f, HiddenFeatureColumn(v.View.Name, f.Name))))
            .ToArray()));
    }

    /// <summary>The name of the hidden training-data column that carries a feature an on-demand view reads.</summary>
    private static string HiddenFeatureColumn(string view, string feature) => $"__granary_in__{view}__{feature}";

    /// <summary>The name of the hidden training-data column with the event time of a feature view's chosen row.</summary>
    private static string HiddenEventTimeColumn(string view) => HistoricalFeaturesRequest.EventTimestampColumn(view);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Logged reads are written first: a table log goes through the offline store.
        await _featureLogs.DisposeAsync().ConfigureAwait(false);
        if (_online.IsValueCreated)
        {
            await _online.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_offline.IsValueCreated)
        {
            await _offline.Value.DisposeAsync().ConfigureAwait(false);
        }

        await Registry.DisposeAsync().ConfigureAwait(false);
    }

    private static Lazy<OfflineStore> Eager(OfflineStore offline)
    {
        ArgumentNullException.ThrowIfNull(offline);
        return new Lazy<OfflineStore>(offline);
    }
}
