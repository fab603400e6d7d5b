using System.Text.Json.Serialization;

namespace Granary.Definitions;

/// <summary>
/// Everything a project declares: what a feature repo holds and what the registry stores for it.
/// Built from YAML by the repo loader or in C# directly; both give equal sets.
/// </summary>
public sealed record DefinitionSet
{
    /// <summary>The entities.</summary>
    public IReadOnlyList<Entity> Entities { get; init => field = value ?? []; } = [];

    /// <summary>The batch, push and warehouse sources.</summary>
    public IReadOnlyList<DataSource> Sources { get; init => field = value ?? []; } = [];

    /// <summary>The request sources.</summary>
    public IReadOnlyList<RequestSource> RequestSources { get; init => field = value ?? []; } = [];

    /// <summary>The feature views.</summary>
    public IReadOnlyList<FeatureView> FeatureViews { get; init => field = value ?? []; } = [];

    /// <summary>The on-demand feature views.</summary>
    public IReadOnlyList<OnDemandFeatureView> OnDemandFeatureViews { get; init => field = value ?? []; } = [];

    /// <summary>The aggregation views.</summary>
    public IReadOnlyList<AggregationView> AggregationViews { get; init => field = value ?? []; } = [];

    /// <summary>The feature services.</summary>
    public IReadOnlyList<FeatureService> FeatureServices { get; init => field = value ?? []; } = [];

    /// <summary>Where each object was written, by kind and name; empty for sets built in code or read from a registry.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<(string Kind, string Name), SourceLocation> Locations { get; init; } =
        new Dictionary<(string Kind, string Name), SourceLocation>();

    /// <summary>Every object, in a stable order: by kind, then as declared.</summary>
    [JsonIgnore]
    public IEnumerable<Definition> All =>
        Entities.Cast<Definition>().Concat(Sources).Concat(RequestSources).Concat(FeatureViews)
            .Concat(AggregationViews).Concat(OnDemandFeatureViews).Concat(FeatureServices);

    /// <summary>The entity named <paramref name="name"/>, or null.</summary>
    public Entity? FindEntity(string name) => Entities.FirstOrDefault(e => e.Name == name);

    /// <summary>The source named <paramref name="name"/>, or null.</summary>
    public DataSource? FindSource(string name) => Sources.FirstOrDefault(s => s.Name == name);

    /// <summary>The feature view named <paramref name="name"/>, or null.</summary>
    public FeatureView? FindFeatureView(string name) => FeatureViews.FirstOrDefault(v => v.Name == name);

    /// <summary>The aggregation view named <paramref name="name"/>, or null.</summary>
    public AggregationView? FindAggregationView(string name) => AggregationViews.FirstOrDefault(v => v.Name == name);

    /// <summary>The on-demand view named <paramref name="name"/>, or null.</summary>
    public OnDemandFeatureView? FindOnDemandFeatureView(string name) => OnDemandFeatureViews.FirstOrDefault(v => v.Name == name);

    /// <summary>The request source named <paramref name="name"/>, or null.</summary>
    public RequestSource? FindRequestSource(string name) => RequestSources.FirstOrDefault(v => v.Name == name);

    /// <summary>The feature service named <paramref name="name"/>, or null.</summary>
    public FeatureService? FindFeatureService(string name) => FeatureServices.FirstOrDefault(s => s.Name == name);

    /// <summary>Where the object was declared, or null when unknown.</summary>
    public SourceLocation? LocationOf(Definition definition) =>
        Locations.TryGetValue((definition.Kind, definition.Name), out var location) ? location : null;

    /// <summary>
    /// The source a view reads its history from: the view's source, or a push source's batch source.
    /// </summary>
    public DataSource? BatchSourceOf(FeatureView view) => BatchSourceOf(view.Source);

    /// <summary>The source history is read from for a view reading <paramref name="sourceName"/>: it, or a push source's batch source.</summary>
    public DataSource? BatchSourceOf(string sourceName)
    {
        var source = FindSource(sourceName);
        return source is PushSource push ? FindSource(push.BatchSource) : source;
    }

    /// <summary>The join keys of a view's entities, in entity order.</summary>
    public IReadOnlyList<string> JoinKeysOf(FeatureView view) => JoinKeysOf(view.Entities);

    /// <summary>The join keys of <paramref name="entities"/>, in order; unknown entities give none.</summary>
    public IReadOnlyList<string> JoinKeysOf(IReadOnlyList<string> entities) =>
        entities.SelectMany(name => FindEntity(name)?.JoinKeys ?? []).ToArray();
}
