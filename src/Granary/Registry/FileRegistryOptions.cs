using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.Registry;

/// <summary>Options of the <see cref="FileRegistry"/>: <c>registry: { type: file, path: ... }</c>, or <c>registry: PATH</c>.</summary>
public sealed class FileRegistryOptions
{
    /// <summary>The registry file, relative to the repo (which it may not leave); default <c>data/registry.json</c>.</summary>
    [YamlKey("path", RepoPath = true)]
    [Required]
    public string Path { get; set; } = "data/registry.json";
}
