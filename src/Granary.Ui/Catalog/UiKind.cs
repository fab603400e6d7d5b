using Granary.Definitions;

namespace Granary.Ui.Catalog;

/// <summary>
/// A kind of registry object as the UI lists it: the URL segment of its pages
/// (<c>/ui/feature-views/driver_hourly_stats</c>), its titles and the objects of that kind in a set.
/// </summary>
public sealed class UiKind
{
    private readonly Func<DefinitionSet, IEnumerable<Definition>> _select;

    private UiKind(string slug, string title, string singular, Func<DefinitionSet, IEnumerable<Definition>> select)
    {
        Slug = slug;
        Title = title;
        Singular = singular;
        _select = select;
    }

    /// <summary>Entities.</summary>
    public static UiKind Entities { get; } = new("entities", "Entities", "Entity", s => s.Entities);

    /// <summary>Batch and warehouse sources (every data source but push sources).</summary>
    public static UiKind DataSources { get; } = new("data-sources", "Data sources", "Data source", s => s.Sources.Where(x => x is not PushSource));

    /// <summary>Push sources.</summary>
    public static UiKind PushSources { get; } = new("push-sources", "Push sources", "Push source", s => s.Sources.OfType<PushSource>());

    /// <summary>Request sources.</summary>
    public static UiKind RequestSources { get; } = new("request-sources", "Request sources", "Request source", s => s.RequestSources);

    /// <summary>Feature views.</summary>
    public static UiKind FeatureViews { get; } = new("feature-views", "Feature views", "Feature view", s => s.FeatureViews);

    /// <summary>Aggregation views.</summary>
    public static UiKind AggregationViews { get; } = new("aggregation-views", "Aggregation views", "Aggregation view", s => s.AggregationViews);

    /// <summary>On-demand feature views.</summary>
    public static UiKind OnDemandViews { get; } = new("on-demand-feature-views", "On-demand views", "On-demand view", s => s.OnDemandFeatureViews);

    /// <summary>Feature services.</summary>
    public static UiKind FeatureServices { get; } = new("feature-services", "Feature services", "Feature service", s => s.FeatureServices);

    /// <summary>Every kind, in the navigation's order.</summary>
    public static IReadOnlyList<UiKind> All { get; } =
        [Entities, DataSources, PushSources, RequestSources, FeatureViews, AggregationViews, OnDemandViews, FeatureServices];

    /// <summary>The URL segment of the kind's pages.</summary>
    public string Slug { get; }

    /// <summary>The plural title, for the list page and the navigation.</summary>
    public string Title { get; }

    /// <summary>The singular title, for an object's page.</summary>
    public string Singular { get; }

    /// <summary>The objects of this kind in <paramref name="set"/>, in declaration order.</summary>
    public IEnumerable<Definition> Select(DefinitionSet set) => _select(set);

    /// <summary>The kind whose URL segment is <paramref name="slug"/>, or null.</summary>
    public static UiKind? FromSlug(string slug) => All.FirstOrDefault(k => k.Slug == slug);

    /// <summary>The kind that lists <paramref name="definition"/>.</summary>
    public static UiKind Of(Definition definition) => definition switch
    {
        Entity => Entities,
        PushSource => PushSources,
        DataSource => DataSources,
        RequestSource => RequestSources,
        FeatureView => FeatureViews,
        AggregationView => AggregationViews,
        OnDemandFeatureView => OnDemandViews,
        FeatureService => FeatureServices,
        _ => throw new ArgumentException($"the UI has no page for the kind '{definition?.Kind}'", nameof(definition)),
    };

    /// <inheritdoc/>
    public override string ToString() => Slug;
}
