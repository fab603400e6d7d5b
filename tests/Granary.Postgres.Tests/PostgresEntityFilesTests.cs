using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.Postgres.Tests;

/// <summary>The entity-files conformance suite on PostgreSQL, which loads the files' rows into a temp table.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEntityFilesTests(PostgresServer server) : EntityFilesTests
{
    private readonly PostgresSourceTables _tables = new(server);

    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = server.ConnectionString() }));

    protected override async Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping) =>
        await _tables.CreateAsync(name, table, timestampField, createdColumn, fieldMapping);
}
