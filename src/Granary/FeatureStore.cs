using Granary.Definitions;
using Granary.Diagnostics;
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
    private readonly ILogger _logger;

    /// <summary>Creates a store over already built backends; <see cref="FeatureStoreBuilder"/> is the usual way.</summary>
    public FeatureStore(
        RepoConfig config, FeatureRegistry registry, OfflineStore offline, Lazy<OnlineStore> online,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FeatureStore>();
        Config = config ?? throw new ArgumentNullException(nameof(config));
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Offline = offline ?? throw new ArgumentNullException(nameof(offline));
        _online = online ?? throw new ArgumentNullException(nameof(online));
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The repo configuration.</summary>
    public RepoConfig Config { get; }

    /// <summary>The project all calls act on.</summary>
    public string Project => Config.Project;

    /// <summary>The registry.</summary>
    public FeatureRegistry Registry { get; }

    /// <summary>The offline store.</summary>
    public OfflineStore Offline { get; }

    /// <summary>The online store, built on first use.</summary>
    public OnlineStore Online => _online.Value;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

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
        if (errors.Count == 0)
        {
            errors.AddRange(await SourceSchemaValidator.ValidateAsync(desired, Offline, cancellationToken).ConfigureAwait(false));
        }

        if (errors.Count > 0)
        {
            throw new RepoValidationException(errors);
        }

        var current = await Registry.GetAsync(Project, cancellationToken).ConfigureAwait(false);
        return new ApplyPlan(desired, current?.Version ?? 0, RegistryDiff.Compute(current?.Definitions, desired), current?.Definitions);
    }

    /// <summary>
    /// Validates and writes <paramref name="desired"/> to the registry, then prepares the online
    /// store for the online views and removes the data of deleted views.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(DefinitionSet desired, CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(desired, cancellationToken).ConfigureAwait(false);
        var snapshot = await Registry.ApplyAsync(Project, desired, plan.BaseVersion, cancellationToken).ConfigureAwait(false);
        var registered = plan.Registered;
        var keep = desired.FeatureViews.Where(v => v.Online)
            .Concat(desired.OnDemandFeatureViews.Where(v => v.WriteToOnlineStore).Select(v => OnlineViewOf(desired, v)))
            .ToList();
        var storedBefore = registered?.OnDemandFeatureViews.Where(v => v.WriteToOnlineStore).Select(v => OnlineViewOf(registered, v)).ToList() ?? [];
        var delete = plan.Diff.Deleted.OfType<FeatureView>()
            .Concat(plan.Diff.Updated.OfType<FeatureView>().Where(v => !v.Online))
            .Concat(storedBefore.Where(old => keep.All(k => k.Name != old.Name)))
            .ToList();
        // A view whose key, source or features changed starts from empty storage: rows from the old
        // definition must not be served as the new one's.
        var rebuilt = desired.FeatureViews
            .Select(v => registered?.FindFeatureView(v.Name) is { } old && old.Online && StorageChanged(old, v) ? old : null)
            .OfType<FeatureView>()
            .ToList();
        if (rebuilt.Count > 0)
        {
            await Online.UpdateAsync(Project, [], rebuilt, cancellationToken).ConfigureAwait(false);
        }

        if (keep.Count > 0 || delete.Count > 0)
        {
            await Online.UpdateAsync(Project, keep, delete, cancellationToken).ConfigureAwait(false);
        }

        // Views whose online rows were dropped or rebuilt (a new key, source or schema; a stored
        // on-demand view that is new or computes differently) must be loaded again from the start:
        // incremental materialization would otherwise resume where the old rows ended.
        var reset = desired.FeatureViews
            .Where(v => registered?.FindFeatureView(v.Name) is { } old && StorageChanged(old, v))
            .Select(v => v.Name)
            .Concat(desired.OnDemandFeatureViews
                .Where(v => v.WriteToOnlineStore && storedBefore.All(old => old.Name != OnlineViewOf(desired, v).Name))
                .SelectMany(v => v.Sources))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (reset.Count > 0)
        {
            await Registry.ResetMaterializationsAsync(Project, reset, cancellationToken).ConfigureAwait(false);
        }

        Log.Applied(_logger, Project, snapshot.Version, plan.Diff.Created.Count, plan.Diff.Updated.Count, plan.Diff.Deleted.Count);
        return new ApplyResult(plan.Diff, snapshot.Version);
    }

    private static bool StorageChanged(FeatureView old, FeatureView now) => (!old.Online && now.Online) || OnlineSchema.RowsChanged(old, now);

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
        var selection = Select(set, request.Features, request.FeatureService, request.FullFeatureNames);
        var plan = PlanOnDemand(snapshot, selection);

        // The selected feature views in order, then those only on-demand views read; each also
        // carries, under hidden names, the features and event times the on-demand views read.
        var eventTimes = plan.EventTimeViews.ToHashSet(StringComparer.Ordinal);
        var views = selection.Views.Where(v => v.View is FeatureView).Select(v => (View: (FeatureView)v.View, v.Features)).ToList();
        views.AddRange(plan.Features.Keys.Where(name => views.All(v => v.View.Name != name))
            .Select(name => (set.FindFeatureView(name)!, (IReadOnlyList<SelectedFeature>)[])));
        var requests = views.Select(v =>
        {
            var hidden = plan.Features.GetValueOrDefault(v.View.Name) ?? [];
            var features = v.Features.Concat(hidden.Select(f => new SelectedFeature(f, HiddenFeatureColumn(v.View.Name, f.Name)))).ToArray();
            return ToViewRequest(set, v.View, features) with
            {
                EventTimestampOutputName = eventTimes.Contains(v.View.Name) ? HiddenEventTimeColumn(v.View.Name) : null,
            };
        }).ToList();
        var result = await Offline.GetHistoricalFeaturesAsync(
            new HistoricalRequest(request.Entities, requests, request.TimestampColumn), cancellationToken).ConfigureAwait(false);
        if (plan.IsEmpty)
        {
            return result;
        }

        try
        {
            var entityColumns = result.ColumnNames.Take(result.ColumnNames.Count - requests.Sum(r => r.OutputNames.Count())).ToArray();
            return new OnDemandRetrievalResult(
                result, plan, selection, entityColumns, request.TimestampColumn, HiddenFeatureColumn, HiddenEventTimeColumn);
        }
        catch
        {
            // The store's result holds a connection (and the entity rows) until disposed.
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Resolves feature references or a feature service against a definition set.</summary>
    public static FeatureSelection Select(DefinitionSet set, IReadOnlyList<string>? features, string? featureService, bool fullFeatureNames)
    {
        if (featureService is not null && features is { Count: > 0 })
        {
            throw new GranaryException("give either feature references or a feature service, not both");
        }

        return featureService is not null
            ? FeatureSelection.FromService(set, featureService, fullFeatureNames)
            : FeatureSelection.FromReferences(set, features ?? [], fullFeatureNames);
    }

    /// <summary>Resolves a view's source, join keys and features for an offline store.</summary>
    public static ViewRequest ToViewRequest(DefinitionSet set, FeatureView view, IReadOnlyList<SelectedFeature> features)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(features);
        var source = set.BatchSourceOf(view)
            ?? throw new GranaryException($"feature view '{view.Name}': source '{view.Source}' is not in the registry");
        var keys = view.Entities
            .Select(name => set.FindEntity(name) ?? throw new GranaryException($"feature view '{view.Name}': entity '{name}' is not in the registry"))
            .SelectMany(entity => entity.JoinKeys.Select(k => new JoinKey(k, entity.ValueType)))
            .ToArray();
        return new ViewRequest(view, source, keys, features.Select(f => new RequestedFeature(f.Field, f.OutputName)).ToArray());
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_online.IsValueCreated)
        {
            await _online.Value.DisposeAsync().ConfigureAwait(false);
        }

        await Offline.DisposeAsync().ConfigureAwait(false);
        await Registry.DisposeAsync().ConfigureAwait(false);
    }
}
