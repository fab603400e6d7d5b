using Granary.Definitions;
using YamlDotNet.RepresentationModel;

namespace Granary.Repo;

/// <summary>
/// One section of <c>granary.yaml</c> (<c>registry</c>, <c>offline_store</c>, <c>online_store</c>,
/// <c>feature_server</c>): its <c>type</c> and the remaining keys, each with where it was written.
/// The store's own options class binds the keys (see <see cref="ConfigBinder"/>); sections built in
/// code have no locations, and messages then name the key alone.
/// </summary>
/// <param name="Type">The store type, chosen among those the host's backends added.</param>
/// <param name="Settings">The other single-valued keys of the section, as written.</param>
public sealed record StoreConfig(string Type, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>The section's key in <c>granary.yaml</c>, such as <c>online_store</c>; for messages.</summary>
    public string Section { get; init; } = string.Empty;

    /// <summary>Where the section was written, or null when it was not (a default, or built in code).</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>Where each key's value was written.</summary>
    public IReadOnlyDictionary<string, SourceLocation> Locations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>The keys whose values are lists or mappings, as YAML nodes (for example <c>feature_server.api_keys</c>).</summary>
    public IReadOnlyDictionary<string, YamlNode> Nested { get; init; } = new Dictionary<string, YamlNode>();

    /// <summary>A section with only a type.</summary>
    public static StoreConfig OfType(string type) => new(type, new Dictionary<string, string>());

    /// <summary>The setting <paramref name="key"/>, or <paramref name="fallback"/> when absent.</summary>
    public string? Get(string key, string? fallback = null) =>
        Settings.TryGetValue(key, out var value) ? value : fallback;

    /// <summary>Every key written in the section but <c>type</c>, single-valued or nested.</summary>
    public IEnumerable<string> Keys => Settings.Keys.Concat(Nested.Keys);

    /// <summary>
    /// The prefix of a message about <paramref name="key"/> (or the section when null):
    /// <c>granary.yaml:4:12: online_store.key_ttl</c>, without a position when none is known.
    /// </summary>
    public string Where(string? key = null)
    {
        var name = key is null ? Section : Section.Length == 0 ? key : $"{Section}.{key}";
        var location = key is not null && Locations.TryGetValue(key, out var at) ? at : Location;
        return location is null ? $"{RepoConfig.FileName}: {name}" : $"{location}: {name}";
    }
}
