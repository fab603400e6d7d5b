namespace Granary.Repo;

/// <summary>
/// One store's section of <c>granary.yaml</c>: its <c>type</c> and the remaining keys, which the
/// store's own options class interprets.
/// </summary>
/// <param name="Type">The store type, such as <c>duckdb</c>, <c>sqlite</c>, <c>redis</c>, <c>postgres</c>, <c>file</c>.</param>
/// <param name="Settings">The other keys of the section, as written.</param>
public sealed record StoreConfig(string Type, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>A section with only a type.</summary>
    public static StoreConfig OfType(string type) => new(type, new Dictionary<string, string>());

    /// <summary>The setting <paramref name="key"/>, or <paramref name="fallback"/> when absent.</summary>
    public string? Get(string key, string? fallback = null) =>
        Settings.TryGetValue(key, out var value) ? value : fallback;
}
