namespace Granary.Repo;

/// <summary>What <c>granary.yaml</c> says: the project and where its registry and stores are.</summary>
public sealed record RepoConfig
{
    /// <summary>The file name of a repo's configuration.</summary>
    public const string FileName = "granary.yaml";

    /// <summary>The absolute path of the repo folder.</summary>
    public required string RepoPath { get; init; }

    /// <summary>The project name: letters, digits and underscores.</summary>
    public required string Project { get; init; }

    /// <summary>The registry; by default a file at <c>data/registry.json</c>.</summary>
    public StoreConfig Registry { get; init; } =
        new("file", new Dictionary<string, string> { ["path"] = "data/registry.json" });

    /// <summary>The offline store; by default DuckDB over the repo's files.</summary>
    public StoreConfig OfflineStore { get; init; } = StoreConfig.OfType("duckdb");

    /// <summary>The online store; by default SQLite at <c>data/online.db</c>.</summary>
    public StoreConfig OnlineStore { get; init; } =
        new("sqlite", new Dictionary<string, string> { ["path"] = "data/online.db" });

    /// <summary>The feature server's section, empty when absent.</summary>
    public StoreConfig FeatureServer { get; init; } = StoreConfig.OfType("local");

    /// <summary>
    /// Resolves a path written in the repo to an absolute one, refusing paths that leave the repo.
    /// </summary>
    public string ResolvePath(string relative, string what) => RepoPaths.Resolve(RepoPath, relative, what);
}
