namespace Granary.DuckDb;

/// <summary>Options of the DuckDB offline store.</summary>
public sealed class DuckDbOfflineStoreOptions
{
    /// <summary>The repo folder that file source paths are relative to. Required.</summary>
    public string RepoPath { get; set; } = string.Empty;

    /// <summary>
    /// DuckDB's memory limit per query, such as <c>1GB</c>; beyond it joins spill to <see cref="TempDirectory"/>.
    /// Default <c>1GB</c>, which keeps a 10M-row join under 2 GB of process memory.
    /// </summary>
    public string MemoryLimit { get; set; } = "1GB";

    /// <summary>DuckDB worker threads; 0 (the default) means one per core.</summary>
    public int Threads { get; set; }

    /// <summary>Where DuckDB spills; default: a folder under the system temp path.</summary>
    public string? TempDirectory { get; set; }

    /// <summary>Rows per Arrow batch handed to callers; default 65,536, valid 1 to 1,048,576.</summary>
    public int BatchSize { get; set; } = 65_536;
}
