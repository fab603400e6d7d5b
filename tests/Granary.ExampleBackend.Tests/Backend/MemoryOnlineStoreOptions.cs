using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>Options of the example online store: <c>online_store: { type: memory, database: NAME }</c>.</summary>
public sealed class MemoryOnlineStoreOptions
{
    /// <summary>The in-process database that holds the rows (<c>database</c>); stores naming the same one share it. Default <c>default</c>.</summary>
    [YamlKey("database")]
    [Required]
    public string Database { get; set; } = "default";
}
