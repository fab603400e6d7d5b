using Granary.Definitions;
using Granary.Transformations;

namespace Granary.Repo;

/// <summary>
/// Checks that a definition set hangs together: references resolve, names are unique, keys and
/// features do not clash. Checks against the data itself are the offline store's (see <see cref="SourceSchemaValidator"/>).
/// </summary>
public static class DefinitionValidator
{
    /// <summary>One line per problem, empty when the set is consistent.</summary>
    public static IReadOnlyList<string> Validate(DefinitionSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var errors = new List<string>();
        void Error(Definition d, string message) => errors.Add($"{Where(set, d)}{d.Kind} '{d.Name}': {message}");

        foreach (var entity in set.Entities)
        {
            foreach (var duplicate in entity.JoinKeys.GroupBy(k => k).Where(g => g.Count() > 1))
            {
                Error(entity, $"join key '{duplicate.Key}' is listed twice");
            }
        }

        foreach (var push in set.Sources.OfType<PushSource>())
        {
            var batch = set.FindSource(push.BatchSource);
            if (batch is null or PushSource)
            {
                Error(push, $"batch_source '{push.BatchSource}' is not a declared file or warehouse source");
            }
        }

        foreach (var view in set.FeatureViews)
        {
            ValidateFeatureView(set, view, Error);
        }

        foreach (var view in set.AggregationViews)
        {
            ValidateAggregationView(set, view, Error);
        }

        foreach (var request in set.RequestSources)
        {
            foreach (var duplicate in request.Schema.GroupBy(f => f.Name).Where(g => g.Count() > 1))
            {
                Error(request, $"field '{duplicate.Key}' is declared twice");
            }
        }

        foreach (var view in set.OnDemandFeatureViews)
        {
            ValidateOnDemandView(set, view, Error);
            errors.AddRange(OnDemandTransformation.Validate(view, set));
        }

        foreach (var service in set.FeatureServices)
        {
            ValidateFeatureService(set, service, Error);
        }

        return errors;
    }

    private static string Where(DefinitionSet set, Definition d) =>
        set.LocationOf(d) is { } location ? $"{location}: " : string.Empty;

    /// <summary>
    /// What every view keyed by entities and reading a source must satisfy: its entities and source
    /// are declared, its join keys come from one entity each, and its features are named once and
    /// apart from the join keys and the source's time columns.
    /// </summary>
    private static DataSource? ValidateKeyedView(
        DefinitionSet set, Definition view, IReadOnlyList<string> entities, string sourceName, IReadOnlyList<string> features,
        (string RequestSource, string Duplicate) hints, Action<Definition, string> error)
    {
        if (entities.Count == 0)
        {
            error(view, "'entities' must name at least one entity");
        }

        foreach (var name in entities.Where(n => set.FindEntity(n) is null))
        {
            error(view, $"entity '{name}' is not declared");
        }

        var source = set.FindSource(sourceName);
        if (source is null)
        {
            var hint = set.FindRequestSource(sourceName) is not null ? hints.RequestSource : string.Empty;
            error(view, $"source '{sourceName}' is not declared{hint}");
        }

        foreach (var duplicate in features.GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            error(view, $"feature '{duplicate.Key}' is declared twice{hints.Duplicate}");
        }

        var keys = set.JoinKeysOf(entities);
        foreach (var duplicate in keys.GroupBy(k => k).Where(g => g.Count() > 1))
        {
            error(view, $"join key '{duplicate.Key}' comes from two entities");
        }

        foreach (var feature in features.Distinct(StringComparer.Ordinal))
        {
            if (keys.Contains(feature))
            {
                error(view, $"feature '{feature}' has the name of a join key");
            }

            if (source is not null && (feature == source.TimestampField || feature == source.CreatedTimestampColumn))
            {
                error(view, $"feature '{feature}' has the name of the source's timestamp column");
            }
        }

        return source;
    }

    private static void ValidateFeatureView(DefinitionSet set, FeatureView view, Action<Definition, string> error)
    {
        if (view.Ttl < TimeSpan.Zero)
        {
            error(view, "ttl must not be negative");
        }

        if (view.Schema.Count == 0)
        {
            error(view, "'schema' must list at least one feature");
        }

        ValidateKeyedView(
            set, view, view.Entities, view.Source, view.Schema.Select(f => f.Name).ToArray(),
            (" (a request source feeds on-demand views only)", string.Empty), error);
    }

    private static void ValidateAggregationView(DefinitionSet set, AggregationView view, Action<Definition, string> error)
    {
        if (view.Aggregations.Count == 0)
        {
            error(view, "'aggregations' must list at least one aggregation");
        }

        var names = view.Aggregations.SelectMany(a => a.Windows.Select(w => AggregationView.FeatureName(a, w))).ToArray();
        ValidateKeyedView(
            set, view, view.Entities, view.Source, names,
            (" (a request source has no events to aggregate)", "; give one of them a 'name'"), error);
        var keys = set.JoinKeysOf(view.Entities);
        foreach (var column in view.Aggregations.Select(a => a.Column).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (keys.Contains(column))
            {
                error(view, $"column '{column}' is a join key; aggregate a value column");
            }
        }
    }

    private static void ValidateOnDemandView(DefinitionSet set, OnDemandFeatureView view, Action<Definition, string> error)
    {
        foreach (var name in view.Sources)
        {
            if (set.FindFeatureView(name) is null && set.FindAggregationView(name) is null && set.FindRequestSource(name) is null && set.FindOnDemandFeatureView(name) is null)
            {
                error(view, $"source '{name}' is not a declared feature view, aggregation view, request source or on-demand view");
            }
        }

        if (view.Schema.Count == 0)
        {
            error(view, "'schema' must list at least one feature");
        }

        foreach (var duplicate in view.Schema.GroupBy(f => f.Name).Where(g => g.Count() > 1))
        {
            error(view, $"feature '{duplicate.Key}' is declared twice");
        }

        if (ReachesItself(set, view.Name, view, []))
        {
            error(view, "its sources lead back to itself");
        }

        if (view.WriteToOnlineStore)
        {
            ValidateWrittenOnline(set, view, error);
        }
    }

    /// <summary>
    /// Outputs computed when rows are written online can only depend on what is known then: the
    /// source feature views' rows (one key set), not a request or its time.
    /// </summary>
    private static void ValidateWrittenOnline(DefinitionSet set, OnDemandFeatureView view, Action<Definition, string> error)
    {
        var sources = view.Sources.Select(set.FindFeatureView).ToList();
        if (sources.Any(s => s is null))
        {
            error(view, "write_to_online_store: true needs feature views as its only sources (no request sources or on-demand views)");
            return;
        }

        if (sources.Select(s => string.Join(",", set.JoinKeysOf(s!))).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            error(view, "write_to_online_store: true needs source feature views with the same join keys");
        }

        var expressions = view.Schema.Where(f => f.Expression is not null).ToArray();
        try
        {
            if (expressions.Length > 0 &&
                CompiledOnDemandView.Compile(view with { Schema = expressions }, set).InputNames.Contains(OnDemandTransformation.RequestTime))
            {
                error(view, "write_to_online_store: true cannot use request_time, which is unknown when rows are written");
            }
        }
        catch (TransformationException)
        {
            // The expression errors are reported by OnDemandTransformation.Validate.
        }
    }

    private static bool ReachesItself(DefinitionSet set, string target, OnDemandFeatureView view, HashSet<string> seen)
    {
        foreach (var name in view.Sources)
        {
            if (name == target)
            {
                return true;
            }

            if (set.FindOnDemandFeatureView(name) is { } next && seen.Add(name) && ReachesItself(set, target, next, seen))
            {
                return true;
            }
        }

        return false;
    }

    private static void ValidateFeatureService(DefinitionSet set, FeatureService service, Action<Definition, string> error)
    {
        if (service.Features.Count == 0)
        {
            error(service, "'features' must list at least one view");
        }

        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (var projection in service.Features)
        {
            // Aggregation features are known by name before their types are read from the data.
            var names = set.FindFeatureView(projection.View)?.Schema.Select(f => f.Name)
                ?? set.FindOnDemandFeatureView(projection.View)?.Schema.Select(f => f.Name)
                ?? set.FindAggregationView(projection.View)?.Aggregations.SelectMany(a => a.Windows.Select(w => AggregationView.FeatureName(a, w)));
            if (names is null)
            {
                error(service, $"view '{projection.View}' is not a declared feature view, aggregation view or on-demand view");
                continue;
            }

            var known = names.ToHashSet(StringComparer.Ordinal);
            foreach (var feature in projection.Features ?? [])
            {
                if (!known.Contains(feature))
                {
                    error(service, $"view '{projection.View}' has no feature '{feature}'");
                }
            }

            served.UnionWith((projection.Features ?? (IEnumerable<string>)known).Select(f => $"{projection.View}__{f}"));
        }

        foreach (var feature in service.Drift?.Features.Keys ?? [])
        {
            if (!served.Contains(feature))
            {
                error(service, $"drift.features: '{feature}' is not a feature of the service; name it view__feature, one of: {string.Join(", ", served.Order(StringComparer.Ordinal))}");
            }
        }
    }
}
