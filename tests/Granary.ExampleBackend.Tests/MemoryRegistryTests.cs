using Granary.Conformance;
using Granary.Definitions;
using Granary.ExampleBackend.Tests.Backend;
using Granary.Registry;

namespace Granary.ExampleBackend.Tests;

/// <summary>The registry conformance suite on the example registry; the registries of one test share a database, as machines share a server.</summary>
public sealed class MemoryRegistryTests : RegistryTests
{
    private readonly string _database = "registry-" + Guid.NewGuid().ToString("N");

    protected override Task<FeatureRegistry> CreateRegistryAsync(TimeProvider time, SourceKinds sourceKinds) =>
        Task.FromResult<FeatureRegistry>(new MemoryRegistry(new MemoryRegistryOptions { Database = _database }, time, sourceKinds));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        MemoryDatabase.Open(_database).Stop();
    }
}
