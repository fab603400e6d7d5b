namespace Granary.Repo;

/// <summary>The rule for project and object names: a letter or underscore, then letters, digits or underscores.</summary>
public static class Names
{
    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name)
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>Whether <paramref name="name"/> is a name or <c>schema.name</c> of two that follow the rule: safe in SQL unquoted.</summary>
    public static bool IsQualifiedValid(string? name) =>
        name?.Split('.') is { Length: 1 or 2 } parts && parts.All(IsValid);
}
