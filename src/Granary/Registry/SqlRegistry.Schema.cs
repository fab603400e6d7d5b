using System.Data.Common;

namespace Granary.Registry;

public sealed partial class SqlRegistry
{
    /// <summary>The project row and its intervals in one statement: one snapshot of the database, never a mix of versions.</summary>
    private static readonly string SelectSnapshotSql =
        $"SELECT 0 AS part, p.version, p.updated_at, p.definitions, CAST(NULL AS text) AS view_name, CAST(NULL AS bigint) AS start_us, " +
        $"CAST(NULL AS bigint) AS end_us, CAST(NULL AS bigint) AS recorded_us, CAST(0 AS bigint) AS id FROM {ProjectsTable} p WHERE p.name = @project " +
        $"UNION ALL SELECT 1, NULL, NULL, NULL, m.view_name, m.start_us, m.end_us, m.recorded_us, m.id FROM {MaterializationsTable} m " +
        "WHERE m.project = @project ORDER BY 1, 9";

    private string SelectForUpdateSql => _dialect switch
    {
        // The row lock makes a concurrent apply wait, then see the new version and fail.
        SqlRegistryDialect.PostgreSql => $"SELECT version FROM {ProjectsTable} WHERE name = @project FOR UPDATE",

        // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default transaction) already holds the write lock.
        _ => $"SELECT version FROM {ProjectsTable} WHERE name = @project",
    };

    private string[] SchemaSql => _dialect switch
    {
        SqlRegistryDialect.PostgreSql =>
        [
            // Concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalogs: serialize it.
            "SELECT pg_advisory_xact_lock(7290431157)",
            $"CREATE TABLE IF NOT EXISTS {ProjectsTable} (name text PRIMARY KEY, version bigint NOT NULL, updated_at bigint NOT NULL, definitions text NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS {MaterializationsTable} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, project text NOT NULL, " +
            "view_name text NOT NULL, start_us bigint NOT NULL, end_us bigint NOT NULL, recorded_us bigint NOT NULL)",
            $"CREATE INDEX IF NOT EXISTS {MaterializationsTable}_project ON {MaterializationsTable} (project, id)",
        ],
        _ =>
        [
            $"CREATE TABLE IF NOT EXISTS {ProjectsTable} (name TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at INTEGER NOT NULL, definitions TEXT NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS {MaterializationsTable} (id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, " +
            "view_name TEXT NOT NULL, start_us INTEGER NOT NULL, end_us INTEGER NOT NULL, recorded_us INTEGER NOT NULL)",
            $"CREATE INDEX IF NOT EXISTS {MaterializationsTable}_project ON {MaterializationsTable} (project, id)",
        ],
    };

    /// <summary>Opens a connection, creating the tables the first time (idempotent, safe from several machines).</summary>
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_dialect == SqlRegistryDialect.Sqlite)
            {
                // Readers keep reading the last committed version while an apply writes.
                await using var wal = Command(connection, null, "PRAGMA journal_mode = WAL");
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!_schemaReady)
            {
                await _schemaLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!_schemaReady)
                    {
                        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                        foreach (var statement in SchemaSql)
                        {
                            await using var command = Command(connection, transaction, statement);
                            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        }

                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        _schemaReady = true;
                    }
                }
                finally
                {
                    _schemaLock.Release();
                }
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
