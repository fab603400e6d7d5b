namespace Granary.Server;

/// <summary>
/// One API key the feature server accepts and the scopes it grants. The key itself never appears in
/// <see cref="ToString"/> or in logs.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Creates a key.</summary>
    /// <param name="name">A name for messages and logs, such as the environment variable the key came from.</param>
    /// <param name="key">The secret: at least 16 characters.</param>
    /// <param name="scopes">What the key may do; at least one scope.</param>
    public ApiKey(string name, string key, FeatureServerScopes scopes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumLength)
        {
            throw new GranaryException($"API key '{name}' has {key.Length} characters; a key needs at least {MinimumLength}");
        }

        if (scopes == FeatureServerScopes.None || (scopes & ~(FeatureServerScopes.Read | FeatureServerScopes.Write | FeatureServerScopes.Admin)) != 0)
        {
            throw new GranaryException($"API key '{name}' needs one or more of the scopes read, write, admin");
        }

        Name = name;
        Key = key;
        Scopes = scopes;
    }

    /// <summary>The shortest key accepted: short keys can be guessed.</summary>
    public const int MinimumLength = 16;

    /// <summary>The key's name for messages and logs.</summary>
    public string Name { get; }

    /// <summary>The secret.</summary>
    public string Key { get; }

    /// <summary>What the key may do.</summary>
    public FeatureServerScopes Scopes { get; }

    /// <summary>The name and scopes, never the key.</summary>
    public override string ToString() => $"{Name} ({Scopes})";
}
