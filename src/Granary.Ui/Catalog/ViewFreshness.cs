using Granary.Definitions;
using Granary.Registry;

namespace Granary.Ui.Catalog;

/// <summary>
/// How current a view's online data is: the end of its latest materialization, the lag behind now,
/// and whether it is stale: an online view never materialized, or a feature view whose latest
/// materialization ended longer ago than its ttl (its rows would be served as outside max age).
/// </summary>
/// <param name="View">The feature view or aggregation view.</param>
/// <param name="Online">Whether the view is served online; offline-only views are never stale.</param>
/// <param name="Ttl">The view's ttl; null for aggregation views, which have none; zero means no limit.</param>
/// <param name="MaterializedUntil">The end of the latest materialization, or null.</param>
/// <param name="Lag">Now minus <paramref name="MaterializedUntil"/>, or null.</param>
public sealed record ViewFreshness(Definition View, bool Online, TimeSpan? Ttl, DateTimeOffset? MaterializedUntil, TimeSpan? Lag)
{
    /// <summary>Whether reads would miss data: never materialized, or materialized longer ago than the ttl.</summary>
    public bool IsStale => Online && (MaterializedUntil is null || (Ttl is { } ttl && ttl > TimeSpan.Zero && Lag > ttl));

    /// <summary>Why the view is stale, in words; null when it is not.</summary>
    public string? Reason => !IsStale ? null
        : MaterializedUntil is null ? "never materialized"
        : $"materialized until {UiFormat.Time(MaterializedUntil.Value)}, {UiFormat.Span(Lag!.Value)} ago: older than its ttl {Duration.Format(Ttl!.Value)}";

    /// <summary>The freshness of every feature view and aggregation view of <paramref name="registry"/> at <paramref name="now"/>.</summary>
    public static IReadOnlyList<ViewFreshness> Of(RegistryView registry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var views = registry.Definitions.FeatureViews.Select(v => (Definition)v).Concat(registry.Definitions.AggregationViews);
        return views.Select(v => Of(registry, v, now)).ToArray();
    }

    /// <summary>The freshness of one feature view or aggregation view.</summary>
    public static ViewFreshness Of(RegistryView registry, Definition view, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var until = registry.Snapshot?.LastMaterializedEnd(view.Name);
        return view switch
        {
            FeatureView v => new ViewFreshness(v, v.Online, v.Ttl, until, now - until),
            AggregationView v => new ViewFreshness(v, v.Online, null, until, now - until),
            _ => throw new ArgumentException($"'{view.Name}' is not a feature view or an aggregation view", nameof(view)),
        };
    }

    /// <summary>The latest materializations across views, most recent first.</summary>
    public static IReadOnlyList<(string View, MaterializationInterval Interval)> Recent(RegistryView registry, int count)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return (registry.Snapshot?.Materializations ?? new Dictionary<string, IReadOnlyList<MaterializationInterval>>())
            .SelectMany(m => m.Value.Select(i => (View: m.Key, Interval: i)))
            .OrderByDescending(m => m.Interval.RecordedAt)
            .ThenBy(m => m.View, StringComparer.Ordinal)
            .Take(count)
            .ToArray();
    }
}
