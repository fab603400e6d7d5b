using Granary.Conformance;
using Granary.ExampleBackend.Tests.Backend;
using Granary.Online;

namespace Granary.ExampleBackend.Tests;

/// <summary>The online conformance suite on the example store, each test class instance on a database of its own.</summary>
public sealed class MemoryOnlineStoreTests : OnlineStoreTests
{
    private readonly string _database = "online-" + Guid.NewGuid().ToString("N");

    /// <summary>Every store of one test shares its database, as stores of one server do (concurrency cases open a second one).</summary>
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new MemoryOnlineStore(new MemoryOnlineStoreOptions { Database = _database }));

    /// <summary>A store whose database was stopped after the store connected, as a server that went down.</summary>
    protected override Task<(OnlineStore Store, string Name)> CreateUnreachableStoreAsync()
    {
        var name = "stopped-" + Guid.NewGuid().ToString("N");
        var store = new MemoryOnlineStore(new MemoryOnlineStoreOptions { Database = name });
        MemoryDatabase.Open(name).Stop();
        return Task.FromResult<(OnlineStore, string)>((store, name));
    }
}
