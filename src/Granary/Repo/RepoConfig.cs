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

    /// <summary>The registry; by default a file (whose options default its path to <c>data/registry.json</c>).</summary>
    public StoreConfig Registry { get; init; } = StoreConfig.OfType("file") with { Section = "registry" };

    /// <summary>
    /// The offline store; when not written (an empty <see cref="StoreConfig.Type"/>), the embedded
    /// default that a backend added to the host offers (<c>AddDuckDb()</c>: DuckDB over the repo's files).
    /// </summary>
    public StoreConfig OfflineStore { get; init; } = StoreConfig.OfType(string.Empty) with { Section = "offline_store" };

    /// <summary>
    /// The online store; when not written, the embedded default a backend offers
    /// (<c>AddSqlite()</c>: SQLite at <c>data/online.db</c>).
    /// </summary>
    public StoreConfig OnlineStore { get; init; } = StoreConfig.OfType(string.Empty) with { Section = "online_store" };

    /// <summary>The feature server's section, empty when absent.</summary>
    public StoreConfig FeatureServer { get; init; } = StoreConfig.OfType("local") with { Section = "feature_server" };

    /// <summary>
    /// Resolves a path written in the repo to an absolute one, refusing paths that leave the repo.
    /// </summary>
    public string ResolvePath(string relative, string what) => RepoPaths.Resolve(RepoPath, relative, what);
}
