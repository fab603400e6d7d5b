using Granary.Definitions;

namespace Granary.Registry;

/// <summary>What an apply would change: objects created, updated and deleted, by kind and name.</summary>
public sealed record RegistryDiff(
    IReadOnlyList<Definition> Created,
    IReadOnlyList<Definition> Updated,
    IReadOnlyList<Definition> Deleted)
{
    /// <summary>Whether the apply would change nothing.</summary>
    public bool IsEmpty => Created.Count == 0 && Updated.Count == 0 && Deleted.Count == 0;

    /// <summary>Compares the registered set (null for a new project) with the repo's.</summary>
    public static RegistryDiff Compute(DefinitionSet? registered, DefinitionSet desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var before = (registered?.All ?? []).ToDictionary(d => (d.Kind, d.Name));
        var after = desired.All.ToDictionary(d => (d.Kind, d.Name));
        var created = after.Values.Where(d => !before.ContainsKey((d.Kind, d.Name))).ToList();
        var deleted = before.Values.Where(d => !after.ContainsKey((d.Kind, d.Name))).ToList();
        var updated = after.Values
            .Where(d => before.TryGetValue((d.Kind, d.Name), out var old) && Json(old) != Json(d))
            .ToList();
        return new RegistryDiff(created, updated, deleted);
    }

    // By the runtime type, so that a source of a kind no catalog here knows still compares by its own fields.
    private static string Json(Definition d) => System.Text.Json.JsonSerializer.Serialize(d, d.GetType(), RegistryJson.Options);
}
