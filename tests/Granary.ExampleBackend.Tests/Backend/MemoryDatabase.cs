using System.Collections.Concurrent;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>
/// An in-process database: the online rows and registry documents of every <see cref="MemoryOnlineStore"/>
/// and <see cref="MemoryRegistry"/> that name it, as stores on one server share it. It lives as long as
/// the process unless stopped; a stopped database answers nothing, as a server that was shut down.
/// </summary>
internal sealed class MemoryDatabase
{
    private static readonly ConcurrentDictionary<string, MemoryDatabase> Running = new(StringComparer.Ordinal);
    private volatile bool _stopped;

    private MemoryDatabase(string name)
    {
        Name = name;
    }

    /// <summary>The name stores give in their <c>database</c> key.</summary>
    public string Name { get; }

    /// <summary>Each (project, view)'s online rows.</summary>
    public ConcurrentDictionary<(string Project, string View), MemoryViewTable> OnlineTables { get; } = new();

    /// <summary>Each (project, aggregation view, entity)'s aggregation state bytes; changed under <see cref="AggregationGate"/>.</summary>
    public ConcurrentDictionary<(string Project, string View, Online.EntityKey Key), byte[]> AggregationStates { get; } = new();

    /// <summary>Makes every read-modify-write of aggregation states one step, as a SQL store's transaction does.</summary>
    public Lock AggregationGate { get; } = new();

    /// <summary>Each project's registry snapshot as the registry JSON of the core; read and written under <see cref="RegistryGate"/>.</summary>
    public Dictionary<string, string> RegistryDocuments { get; } = new(StringComparer.Ordinal);

    /// <summary>Each project's saved datasets' manifests by name, as the registry JSON of the core; under <see cref="RegistryGate"/>.</summary>
    public Dictionary<string, SortedDictionary<string, string>> DatasetDocuments { get; } = new(StringComparer.Ordinal);

    /// <summary>Serializes registry reads and writes, so that every apply sees and replaces a whole version.</summary>
    public Lock RegistryGate { get; } = new();

    /// <summary>The running database of that name, started if there is none.</summary>
    public static MemoryDatabase Open(string name) => Running.GetOrAdd(name, static n => new MemoryDatabase(n));

    /// <summary>Shuts the database down: its data is gone and every store still holding it fails to reach it.</summary>
    public void Stop()
    {
        _stopped = true;
        Running.TryRemove(new KeyValuePair<string, MemoryDatabase>(Name, this));
    }

    /// <summary>Throws when the database was stopped.</summary>
    /// <param name="what">The component asking, for the message: <c>online store</c> or <c>registry</c>.</param>
    /// <exception cref="GranaryException">The database was stopped.</exception>
    public void EnsureRunning(string what)
    {
        if (_stopped)
        {
            throw new GranaryException($"{what}: cannot reach the in-memory database '{Name}': it was stopped");
        }
    }
}
