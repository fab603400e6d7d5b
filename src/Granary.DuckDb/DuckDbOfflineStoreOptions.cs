using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.DuckDb;

/// <summary>Options of the DuckDB offline store: <c>offline_store: { type: duckdb, ... }</c>.</summary>
public sealed class DuckDbOfflineStoreOptions
{
    /// <summary>The repo folder that file source paths are relative to. Required; set from the repo, not a key.</summary>
    [Required]
    public string RepoPath { get; set; } = string.Empty;

    /// <summary>
    /// DuckDB's memory limit per query (<c>memory_limit</c>), such as <c>1GB</c>; beyond it joins spill
    /// to <see cref="TempDirectory"/>. Default <c>1GB</c>, which keeps a 10M-row join under 2 GB of process memory.
    /// </summary>
    [YamlKey("memory_limit")]
    [Required]
    [RegularExpression(@"(?i)^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*$", ErrorMessage = "must be an amount such as 512MB or 2GB")]
    public string MemoryLimit { get; set; } = "1GB";

    /// <summary>DuckDB worker threads (<c>threads</c>); 0 (the default) means one per core; valid 0 to 1,024.</summary>
    [YamlKey("threads")]
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Where DuckDB spills (<c>temp_directory</c>, relative to the repo); default: a folder under the system temp path.</summary>
    [YamlKey("temp_directory", RepoPath = true)]
    public string? TempDirectory { get; set; }

    /// <summary>Rows per Arrow batch handed to callers (<c>batch_size</c>); default 65,536, valid 1 to 1,048,576.</summary>
    [YamlKey("batch_size")]
    [Range(1, 1_048_576)]
    public int BatchSize { get; set; } = 65_536;
}
