namespace Granary.Repo;

/// <summary>The rule for project and object names: a letter or underscore, then letters, digits or underscores.</summary>
public static class Names
{
    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name)
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
