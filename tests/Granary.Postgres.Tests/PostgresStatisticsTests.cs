using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.Postgres.Tests;

/// <summary>The statistics suite on PostgreSQL, each source a real table with a unique name.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStatisticsTests(PostgresServer server) : OfflineStatisticsTests
{
    private readonly PostgresSourceTables _tables = new(server);

    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = server.ConnectionString() }));

    protected override async Task<DataSource> CreateSourceAsync(string name, TestTable table, IReadOnlyDictionary<string, string>? fieldMapping = null) =>
        await _tables.CreateAsync(name, table, fieldMapping: fieldMapping);
}
