using System.Text.Json.Serialization;

namespace Granary.Definitions;

/// <summary>What every object of a feature repo has: a name, and metadata for people and tools.</summary>
public abstract record Definition
{
    /// <summary>The object's name, unique among objects of its kind in a project.</summary>
    public required string Name { get; init; }

    /// <summary>Free text shown by <c>granary describe</c> and the registry API.</summary>
    public string? Description { get; init; }

    /// <summary>Arbitrary labels; empty by default.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>Who to ask about this object, usually an e-mail address.</summary>
    public string? Owner { get; init; }

    /// <summary>The <c>kind</c> written in YAML for this object, such as <c>feature_view</c>.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }
}
