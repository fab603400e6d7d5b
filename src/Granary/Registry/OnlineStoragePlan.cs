using Granary.Aggregations;
using Granary.Definitions;
using Granary.Online;

namespace Granary.Registry;

/// <summary>
/// What an apply does to online storage after the registry is written, decided from the registered
/// and the desired definitions alone: the store is then told, in this order, to empty
/// <see cref="Rebuild"/>, to prepare <see cref="Keep"/> and drop <see cref="Delete"/>, and the
/// registry to forget the materializations of <see cref="ResetMaterializations"/>.
/// </summary>
/// <param name="Rebuild">
/// Online views (as registered) whose key, source or features changed: their rows are dropped, as
/// rows of the old definition must not be served as the new one's.
/// </param>
/// <param name="Keep">Every online view of the desired definitions, with the storage of each stored on-demand view.</param>
/// <param name="Delete">
/// Views whose rows go: deleted views, views no longer online, and the old storage of stored
/// on-demand views that were deleted, stopped being stored or compute differently now.
/// </param>
/// <param name="ResetMaterializations">
/// Feature views that must be materialized again from the start: those whose storage was rebuilt or
/// that came online, and the sources of stored on-demand views whose storage is new; incremental
/// materialization would otherwise resume where the old rows ended. Aggregation views whose states
/// go (see <see cref="DeleteAggregationStates"/>) or that came online are reset too.
/// </param>
internal sealed record OnlineStoragePlan(
    IReadOnlyList<FeatureView> Rebuild,
    IReadOnlyList<FeatureView> Keep,
    IReadOnlyList<FeatureView> Delete,
    IReadOnlyList<string> ResetMaterializations)
{
    /// <summary>
    /// Aggregation views whose online states the store drops: deleted views, views no longer
    /// online, and views whose state would mean something else now (their aggregations, hop,
    /// column types, entities or source changed).
    /// </summary>
    public IReadOnlyList<string> DeleteAggregationStates { get; init; } = [];

    /// <summary>Whether the plan leaves the online store alone: nothing served online, before or after.</summary>
    public bool IsEmpty => Rebuild.Count == 0 && Keep.Count == 0 && Delete.Count == 0 && DeleteAggregationStates.Count == 0;

    /// <summary>Plans the online side of applying <paramref name="desired"/> over <paramref name="registered"/> (null for a new project).</summary>
    /// <param name="registered">The definitions the registry held.</param>
    /// <param name="desired">The definitions applied.</param>
    /// <param name="diff">The registry diff between them.</param>
    public static OnlineStoragePlan Compute(DefinitionSet? registered, DefinitionSet desired, RegistryDiff diff)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(diff);
        var keep = desired.FeatureViews.Where(v => v.Online)
            .Concat(desired.OnDemandFeatureViews.Where(v => v.WriteToOnlineStore).Select(v => StoredOnDemandView.StorageOf(desired, v)))
            .ToList();
        var storedBefore = registered?.OnDemandFeatureViews.Where(v => v.WriteToOnlineStore).Select(v => StoredOnDemandView.StorageOf(registered, v)).ToList() ?? [];
        var delete = diff.Deleted.OfType<FeatureView>()
            .Concat(diff.Updated.OfType<FeatureView>().Where(v => !v.Online))
            .Concat(storedBefore.Where(old => keep.All(k => k.Name != old.Name)))
            .ToList();
        var rebuild = desired.FeatureViews
            .Select(v => registered?.FindFeatureView(v.Name) is { } old && old.Online && MustReload(old, v) ? old : null)
            .OfType<FeatureView>()
            .ToList();
        var reset = desired.FeatureViews
            .Where(v => registered?.FindFeatureView(v.Name) is { } old && MustReload(old, v))
            .Select(v => v.Name)
            .Concat(desired.OnDemandFeatureViews
                .Where(v => v.WriteToOnlineStore && storedBefore.All(old => old.Name != StoredOnDemandView.StorageOf(desired, v).Name))
                .SelectMany(v => v.Sources))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var aggregationsBefore = registered?.AggregationViews ?? [];
        var changed = desired.AggregationViews
            .Where(v => aggregationsBefore.FirstOrDefault(old => old.Name == v.Name) is { } old && StateChanged(old, v))
            .Select(v => v.Name)
            .ToList();
        var dropStates = aggregationsBefore
            .Where(old => old.Online && desired.FindAggregationView(old.Name) is not { Online: true })
            .Select(old => old.Name)
            .Concat(changed)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var cameOnline = desired.AggregationViews
            .Where(v => v.Online && aggregationsBefore.FirstOrDefault(old => old.Name == v.Name) is { Online: false })
            .Select(v => v.Name);
        reset = reset.Concat(changed).Concat(cameOnline).Distinct(StringComparer.Ordinal).ToList();
        return new OnlineStoragePlan(rebuild, keep, delete, reset) { DeleteAggregationStates = dropStates };
    }

    /// <summary>
    /// Whether states kept for <paramref name="old"/> would be misread as states of
    /// <paramref name="now"/>: the state layout (aggregations, hops, windows, column types), the
    /// keys or the events they were built from differ.
    /// </summary>
    private static bool StateChanged(AggregationView old, AggregationView now)
    {
        if (old.Source != now.Source || !old.Entities.SequenceEqual(now.Entities))
        {
            return true;
        }

        try
        {
            return AggregationLayout.Of(old).Fingerprint != AggregationLayout.Of(now).Fingerprint;
        }
        catch (GranaryException)
        {
            return true; // a view without column types: nothing can be kept safely
        }
    }

    /// <summary>Whether a view's online rows must be loaded again from the start: it came online, or its stored rows no longer fit it.</summary>
    private static bool MustReload(FeatureView old, FeatureView now) => (!old.Online && now.Online) || OnlineSchema.RowsChanged(old, now);
}
