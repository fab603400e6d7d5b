using Granary.Definitions;
using Granary.Registry;

namespace Granary.Ui.Catalog;

/// <summary>
/// What the pages show of one project: its registry snapshot (or nothing, for a project never
/// applied), with lookups by kind and the lineage built once per page.
/// </summary>
public sealed class RegistryView
{
    private static readonly DefinitionSet Empty = new();
    private readonly Lazy<LineageGraph> _lineage;

    /// <summary>Wraps <paramref name="snapshot"/>, or an empty project when it is null.</summary>
    public RegistryView(string project, RegistrySnapshot? snapshot)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        Project = project;
        Snapshot = snapshot;
        _lineage = new Lazy<LineageGraph>(() => LineageGraph.Build(Definitions));
    }

    /// <summary>The project.</summary>
    public string Project { get; }

    /// <summary>The registry's state, or null when the project was never applied.</summary>
    public RegistrySnapshot? Snapshot { get; }

    /// <summary>Whether the project was ever applied.</summary>
    public bool IsApplied => Snapshot is not null;

    /// <summary>The applied definitions; empty for a project never applied.</summary>
    public DefinitionSet Definitions => Snapshot?.Definitions ?? Empty;

    /// <summary>Sources to views to on-demand views to services.</summary>
    public LineageGraph Lineage => _lineage.Value;

    /// <summary>The objects of <paramref name="kind"/>.</summary>
    public IReadOnlyList<Definition> Of(UiKind kind) => kind.Select(Definitions).ToArray();

    /// <summary>The object of <paramref name="kind"/> named <paramref name="name"/>, or null.</summary>
    public Definition? Find(UiKind kind, string name) => kind.Select(Definitions).FirstOrDefault(d => d.Name == name);

    /// <summary>The view, on-demand view, aggregation view or request source a service or on-demand view names.</summary>
    public Definition? FindInput(string name) =>
        (Definition?)Definitions.FindFeatureView(name)
        ?? (Definition?)Definitions.FindAggregationView(name)
        ?? (Definition?)Definitions.FindOnDemandFeatureView(name)
        ?? Definitions.FindRequestSource(name);

    /// <summary>The materialized intervals of a view, in the order recorded; empty when never materialized.</summary>
    public IReadOnlyList<MaterializationInterval> MaterializationsOf(string view) =>
        Snapshot?.Materializations.TryGetValue(view, out var intervals) == true ? intervals : [];

    /// <summary>The views (feature and aggregation views) keyed by <paramref name="entity"/>.</summary>
    public IEnumerable<Definition> ViewsOf(Entity entity) =>
        Definitions.FeatureViews.Where(v => v.Entities.Contains(entity.Name)).Cast<Definition>()
            .Concat(Definitions.AggregationViews.Where(v => v.Entities.Contains(entity.Name)));
}
