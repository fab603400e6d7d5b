using Granary.Definitions;

namespace Granary.Registry;

/// <summary>What the registry holds for one project at one version.</summary>
public sealed record RegistrySnapshot
{
    /// <summary>The project.</summary>
    public required string Project { get; init; }

    /// <summary>Increases by one with each apply; 0 for a project never applied.</summary>
    public required long Version { get; init; }

    /// <summary>When the last apply happened.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The applied definitions.</summary>
    public required DefinitionSet Definitions { get; init; }

    /// <summary>Per feature view, the materialized intervals in the order they were recorded.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<MaterializationInterval>> Materializations { get; init => field = value ?? new Dictionary<string, IReadOnlyList<MaterializationInterval>>(); } = new Dictionary<string, IReadOnlyList<MaterializationInterval>>();

    /// <summary>The end of the view's latest materialization, or null when it was never materialized.</summary>
    public DateTimeOffset? LastMaterializedEnd(string view) =>
        Materializations.TryGetValue(view, out var intervals) && intervals.Count > 0 ? intervals.Max(i => i.End) : null;
}
