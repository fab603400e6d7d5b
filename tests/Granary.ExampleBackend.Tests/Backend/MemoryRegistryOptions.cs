using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>Options of the example registry: <c>registry: { type: memory, database: NAME }</c>.</summary>
public sealed class MemoryRegistryOptions
{
    /// <summary>The in-process database that holds the projects (<c>database</c>); registries naming the same one share it. Default <c>default</c>.</summary>
    [YamlKey("database")]
    [Required]
    public string Database { get; set; } = "default";
}
