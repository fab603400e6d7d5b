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
/// materialization would otherwise resume where the old rows ended.
/// </param>
internal sealed record OnlineStoragePlan(
    IReadOnlyList<FeatureView> Rebuild,
    IReadOnlyList<FeatureView> Keep,
    IReadOnlyList<FeatureView> Delete,
    IReadOnlyList<string> ResetMaterializations)
{
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
        return new OnlineStoragePlan(rebuild, keep, delete, reset);
    }

    /// <summary>Whether a view's online rows must be loaded again from the start: it came online, or its stored rows no longer fit it.</summary>
    private static bool MustReload(FeatureView old, FeatureView now) => (!old.Online && now.Online) || OnlineSchema.RowsChanged(old, now);
}
