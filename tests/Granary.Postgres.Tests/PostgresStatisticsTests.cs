using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.Postgres.Tests;

/// <summary>The statistics suite on PostgreSQL, each source a real table with a unique name.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStatisticsTests(PostgresServer server) : OfflineStatisticsTests
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = server.ConnectionString() }));

    protected override async Task<DataSource> CreateSourceAsync(string name, TestTable table, IReadOnlyDictionary<string, string>? fieldMapping = null)
    {
        var tableName = $"{name}_{_suffix}";
        await PostgresTables.CreateAsync(server.ConnectionString(), tableName, table);
        return new PostgresSource { Name = name, Table = tableName, FieldMapping = fieldMapping ?? new Dictionary<string, string>() };
    }
}
