namespace Granary.Repo;

/// <summary>
/// Binds an options property to a key of its <c>granary.yaml</c> section (see <see cref="ConfigBinder"/>).
/// The property's type says how the text is read; ranges come from
/// <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/> on the same property.
/// </summary>
/// <param name="key">The key as written in YAML, snake_case.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class YamlKeyAttribute(string key) : Attribute
{
    /// <summary>The key as written in YAML.</summary>
    public string Key { get; } = key;

    /// <summary>For a <see cref="TimeSpan"/> property: how the value is written (default: a duration such as <c>1h30m</c>).</summary>
    public DurationFormat Format { get; init; } = DurationFormat.Duration;

    /// <summary>
    /// For a string property: the value is a path relative to the repo, which may not leave it; the
    /// bound property holds the absolute path (defaults too are resolved).
    /// </summary>
    public bool RepoPath { get; init; }
}
