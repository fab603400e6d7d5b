using Granary.Conformance;
using Granary.Definitions;
using Granary.Registry;

namespace Granary.Postgres.Tests;

/// <summary>The registry conformance suite on PostgreSQL; each test has its own database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSqlRegistryTests(PostgresServer server) : RegistryTests
{
    private string? _connectionString;

    public override async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync("registry");
        await base.InitializeAsync();
    }

    protected override Task<FeatureRegistry> CreateRegistryAsync(TimeProvider time, SourceKinds sourceKinds) =>
        Task.FromResult<FeatureRegistry>(new PostgresRegistryOptions { ConnectionString = _connectionString! }.CreateRegistry(time, sourceKinds));
}
