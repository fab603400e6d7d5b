using Granary.Conformance;
using Granary.Registry;
using Microsoft.Data.Sqlite;

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

    protected override Task<FeatureRegistry> CreateRegistryAsync(TimeProvider time) =>
        Task.FromResult<FeatureRegistry>(new PostgresRegistryOptions { ConnectionString = _connectionString! }.CreateRegistry(time));
}

/// <summary>The registry conformance suite on a SQLite file; each test has its own file.</summary>
public sealed class SqliteSqlRegistryTests : RegistryTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-sqlreg-" + Guid.NewGuid().ToString("N"));

    protected override Task<FeatureRegistry> CreateRegistryAsync(TimeProvider time)
    {
        Directory.CreateDirectory(_folder);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "registry.db"), Pooling = false }.ConnectionString;
        return Task.FromResult<FeatureRegistry>(new SqlRegistry(SqliteFactory.Instance.CreateDataSource(connectionString), SqlRegistryDialect.Sqlite, time));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
