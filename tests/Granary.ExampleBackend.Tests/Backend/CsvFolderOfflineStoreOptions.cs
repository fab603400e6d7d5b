using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>Options of the example offline store: <c>offline_store: { type: csv_folder, ... }</c>.</summary>
public sealed class CsvFolderOfflineStoreOptions
{
    /// <summary>The repo folder that source folders are relative to. Required; set from the repo, not a key.</summary>
    [Required]
    public string RepoPath { get; set; } = string.Empty;

    /// <summary>Rows per Arrow batch handed to callers (<c>batch_size</c>); default 65,536, valid 1 to 1,048,576.</summary>
    [YamlKey("batch_size")]
    [Range(1, 1_048_576)]
    public int BatchSize { get; set; } = 65_536;
}
