using Microsoft.Extensions.FileSystemGlobbing;

namespace Granary.Offline;

/// <summary>A file, or every file a glob matches, that a result file must never replace.</summary>
/// <param name="Root">The folder <paramref name="Pattern"/> is relative to.</param>
/// <param name="Pattern">A path relative to <paramref name="Root"/>, or a glob such as <c>data/*.parquet</c> (<c>*</c> and <c>**</c>).</param>
/// <param name="What">What it is, for the message, such as <c>the entity input</c>.</param>
public sealed record ProtectedFile(string Root, string Pattern, string What)
{
    /// <summary>One file, by its path.</summary>
    public static ProtectedFile Of(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        return new ProtectedFile(Path.GetDirectoryName(full)!, Path.GetFileName(full), what);
    }

    /// <summary>Whether <paramref name="fullPath"/> (absolute) is this file or matches this glob.</summary>
    public bool Matches(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        var root = Path.GetFullPath(Root);
        if (Pattern.IndexOfAny(['*', '?', '[']) < 0)
        {
            return string.Equals(Path.GetFullPath(Path.Combine(root, Pattern)), fullPath, StringComparison.Ordinal);
        }

        var relative = Path.GetRelativePath(root, fullPath);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return false;
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(Pattern);
        return matcher.Match(relative.Replace(Path.DirectorySeparatorChar, '/')).HasMatches;
    }
}
