using Granary.Conformance;

namespace Granary.Postgres.Tests;

/// <summary>
/// Sources of the conformance suites as real tables on the shared server: each suite instance adds a
/// suffix of its own to its table names, so that suites running on one server never meet.
/// </summary>
internal sealed class PostgresSourceTables(PostgresServer server)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Creates the table <paramref name="name"/>_suffix holding <paramref name="table"/> and returns a source over it.</summary>
    public async Task<PostgresSource> CreateAsync(
        string name, TestTable table, string? timestampField = null, string? createdColumn = null, IReadOnlyDictionary<string, string>? fieldMapping = null)
    {
        var tableName = $"{name}_{_suffix}";
        await PostgresTables.CreateAsync(server.ConnectionString(), tableName, table);
        var source = new PostgresSource
        {
            Name = name,
            Table = tableName,
            CreatedTimestampColumn = createdColumn,
            FieldMapping = fieldMapping ?? new Dictionary<string, string>(),
        };
        return timestampField is null ? source : source with { TimestampField = timestampField };
    }
}
