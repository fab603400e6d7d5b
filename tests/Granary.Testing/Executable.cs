namespace Granary.Testing;

/// <summary>Finds the server binaries the fixtures start, or says which package brings them.</summary>
public static class Executable
{
    /// <summary>The folders of <c>PATH</c>, in order.</summary>
    public static IEnumerable<string> PathFolders =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The full path of <paramref name="name"/> in the first folder of <c>PATH</c> that holds it.</summary>
    /// <exception cref="InvalidOperationException">No folder holds it: the message says what to install, such as <c>redis-server not found: apt-get install redis-server</c>.</exception>
    public static string Find(string name, string package) => Find(name, package, PathFolders);

    /// <summary>The full path of <paramref name="name"/> in the first of <paramref name="folders"/> that holds it.</summary>
    /// <exception cref="InvalidOperationException">No folder holds it: the message says what to install.</exception>
    public static string Find(string name, string package, IEnumerable<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        return folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{name} not found: apt-get install {package}");
    }
}
