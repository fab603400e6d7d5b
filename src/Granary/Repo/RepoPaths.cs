namespace Granary.Repo;

/// <summary>
/// Keeps every path a repo names inside the repo. The rule is applied to real paths, with every symlink on the
/// way followed, so that a symlink inside the repo cannot lead a read or a write outside it.
/// </summary>
public static class RepoPaths
{
    /// <summary>Symlinks followed while resolving one path before it counts as a loop (Linux's own limit).</summary>
    private const int MaxSymlinks = 40;

    /// <summary>
    /// The absolute path of <paramref name="relative"/> under <paramref name="repoPath"/>;
    /// throws when it is absolute or climbs out of the repo, by its text or through a symlink.
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
        if (!IsInside(root, full))
        {
            throw new GranaryException($"{what}: '{relative}' leaves the repo folder");
        }

        CheckInside(root, full, $"{what}: '{relative}'");
        return full;
    }

    /// <summary>Throws when the real path of <paramref name="path"/> (symlinks followed) is not inside the real repo folder.</summary>
    /// <param name="repoPath">The repo folder.</param>
    /// <param name="path">An absolute path inside it by its text.</param>
    /// <param name="what">The path as messages name it.</param>
    public static void CheckInside(string repoPath, string path, string what)
    {
        var real = RealPath(path);
        if (!IsInside(RealPath(Path.GetFullPath(repoPath)), real))
        {
            throw new GranaryException($"{what} leads outside the repo folder through a symlink (to '{real}'); copy the data into the repo instead");
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or under it; both absolute and normalized.</summary>
    public static bool IsInside(string root, string path)
    {
        var rootWithSlash = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path == root || path.StartsWith(rootWithSlash, StringComparison.Ordinal);
    }

    /// <summary>
    /// <paramref name="path"/> with every symlink on it followed, as <c>realpath</c> gives it; the part past the last
    /// component that exists is kept as written, so the path of a file still to be created resolves too.
    /// </summary>
    /// <exception cref="GranaryException">The symlinks loop.</exception>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = root;
        var followed = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++followed > MaxSymlinks)
            {
                throw new GranaryException($"'{path}': too many levels of symlinks");
            }

            // The target's components are resolved in turn: a relative target from the link's folder, an absolute one from the root.
            foreach (var piece in target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
            }
        }

        return current;
    }
}
