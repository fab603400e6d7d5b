namespace Granary.Repo;

/// <summary>Keeps every path a repo names inside the repo.</summary>
public static class RepoPaths
{
    /// <summary>
    /// The absolute path of <paramref name="relative"/> under <paramref name="repoPath"/>;
    /// throws when it is absolute or climbs out of the repo.
    /// </summary>
    /// <param name="repoPath">The repo folder.</param>
    /// <param name="relative">The path as written in the repo.</param>
    /// <param name="what">What the path is for, for the error message (for example <c>file_source 'x' path</c>).</param>
    public static string Resolve(string repoPath, string relative, string what)
    {
        if (string.IsNullOrWhiteSpace(relative))
        {
            throw new GranaryException($"{what}: the path is empty");
        }

        if (Path.IsPathRooted(relative))
        {
            throw new GranaryException($"{what}: '{relative}' must be relative to the repo, not absolute");
        }

        var root = Path.GetFullPath(repoPath);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var rootWithSlash = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSlash, StringComparison.Ordinal) && full != root)
        {
            throw new GranaryException($"{what}: '{relative}' leaves the repo folder");
        }

        return full;
    }
}
