using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;

namespace Granary.Postgres.Tests;

/// <summary>The aggregation serving suite entirely on PostgreSQL: events in a table that pushes append to, states in the online store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAggregationServingTests(PostgresServer server) : AggregationServingTests
{
    private readonly PostgresSourceTables _tables = new(server);

    protected override SourceKinds SourceKinds { get; } = new SourceKinds().Add(PostgresSource.SourceKind);

    protected override Task<OfflineStore> CreateOfflineStoreAsync(string repoPath) =>
        Task.FromResult<OfflineStore>(new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = server.ConnectionString(), BatchSize = 7 }));

    protected override Task<OnlineStore> CreateOnlineStoreAsync(string repoPath) =>
        Task.FromResult<OnlineStore>(new PostgresOnlineStore(new PostgresOnlineStoreOptions { ConnectionString = server.ConnectionString() }));

    protected override async Task<DataSource> CreateSourceAsync(string repoPath, string name, TestTable table, string createdColumn) =>
        await _tables.CreateAsync(name, table, createdColumn: createdColumn);
}
