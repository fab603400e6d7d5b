using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.Postgres.Tests;

/// <summary>The source-events suite on PostgreSQL, each source a real table with a unique name.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSourceEventsTests(PostgresServer server) : SourceEventsTests
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = server.ConnectionString() }));

    protected override async Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping)
    {
        var tableName = $"{name}_{_suffix}";
        await PostgresTables.CreateAsync(server.ConnectionString(), tableName, table);
        return new PostgresSource
        {
            Name = name,
            Table = tableName,
            TimestampField = timestampField,
            CreatedTimestampColumn = createdColumn,
            FieldMapping = fieldMapping ?? new Dictionary<string, string>(),
        };
    }
}
