namespace Granary.Testing;

/// <summary>
/// A temp copy of <c>tests/fixtures/release-0.1</c>: a repo, its registry file, a SQL registry and an
/// online store written by Granary 0.1 (see the README there), for tests that 0.2 reads what 0.1 wrote.
/// The copy is deleted on dispose, so tests may write to it.
/// </summary>
public sealed class Release01Fixture : IDisposable
{
    /// <summary>The end of 0.1's last materialization of the fixture's views (also their latest event time).</summary>
    public static readonly DateTimeOffset MaterializedUntil = new(2026, 11, 30, 16, 0, 0, TimeSpan.Zero);

    /// <summary>Copies the fixture to a new temp folder.</summary>
    public Release01Fixture()
    {
        Folder = Directory.CreateTempSubdirectory("granary-release01-").FullName;
        Copy(Path.Combine(RepositoryRoot.Path, "tests", "fixtures", "release-0.1"), Folder);
    }

    /// <summary>The temp copy.</summary>
    public string Folder { get; }

    /// <summary>The feature repo (project <c>upgrade_fixture</c>) with <c>data/registry.json</c> and <c>data/online.db</c>.</summary>
    public string RepoPath => Path.Combine(Folder, "repo");

    /// <summary>The file registry holding the projects <c>upgrade_fixture</c> and <c>warehouse</c>.</summary>
    public string RegistryJsonPath => Path.Combine(RepoPath, "data", "registry.json");

    /// <summary>The SQLite online store that 0.1's materializations wrote.</summary>
    public string OnlineDbPath => Path.Combine(RepoPath, "data", "online.db");

    /// <summary>The SQL registry on SQLite in 0.1's table layout, with both projects.</summary>
    public string RegistryDbPath => Path.Combine(Folder, "registry.db");

    /// <summary>The definitions of the <c>warehouse</c> project (PostgreSQL sources).</summary>
    public string WarehousePath => Path.Combine(Folder, "warehouse");

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static void Copy(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
