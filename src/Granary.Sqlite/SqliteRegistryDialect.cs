using System.Data.Common;
using Granary.Registry;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>The <see cref="SqlRegistry"/> on a SQLite file: <c>registry: { type: sql, dialect: sqlite, path: data/registry.db }</c>.</summary>
internal sealed class SqliteRegistryDialect : SqlRegistryDialect
{
    public static SqliteRegistryDialect Instance { get; } = new();

    public override IReadOnlyList<string> Names { get; } = ["sqlite"];

    public override string TableExistsSql => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name";

    // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default transaction) already holds the write lock.
    public override string SelectVersionForUpdateSql => $"SELECT version FROM {SqlRegistry.ProjectsTable} WHERE name = @project";

    public override DbDataSource CreateDataSource(StoreContext context)
    {
        var options = context.Bind(new SqliteRegistryOptions(), "dialect");
        return SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = options.Path }.ConnectionString);
    }

    public override async Task InitializeConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Readers keep reading the last committed version while an apply writes.
        await using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL";
        await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override IReadOnlyList<string> MigrationSql(int version) => version switch
    {
        1 =>
        [
            $"CREATE TABLE IF NOT EXISTS {SqlRegistry.ProjectsTable} (name TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at INTEGER NOT NULL, definitions TEXT NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS {SqlRegistry.MaterializationsTable} (id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, " +
            "view_name TEXT NOT NULL, start_us INTEGER NOT NULL, end_us INTEGER NOT NULL, recorded_us INTEGER NOT NULL)",
            $"CREATE INDEX IF NOT EXISTS {SqlRegistry.MaterializationsTable}_project ON {SqlRegistry.MaterializationsTable} (project, id)",
        ],
        2 => [$"CREATE TABLE IF NOT EXISTS {SqlRegistry.LayoutTable} (version INTEGER NOT NULL)"],
        3 =>
        [
            $"CREATE TABLE IF NOT EXISTS {SqlRegistry.DatasetsTable} (project TEXT NOT NULL, name TEXT NOT NULL, created_us INTEGER NOT NULL, manifest TEXT NOT NULL, " +
            "PRIMARY KEY (project, name))",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "no such registry layout"),
    };
}
