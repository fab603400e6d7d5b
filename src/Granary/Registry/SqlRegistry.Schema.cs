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

    /// <summary>
    /// Creates the tables, or brings tables written by an older Granary to <see cref="LayoutVersion"/>,
    /// in one transaction (idempotent, and serialized across machines by the dialect's lock).
    /// Layout 1 is Granary 0.1's two tables; layout 2 adds the table that records the layout; layout 3
    /// the table of saved datasets.
    /// </summary>
    private async Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in _dialect.LockLayoutSql)
        {
            await using var command = Command(connection, transaction, statement);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var version = await TableExistsAsync(connection, transaction, LayoutTable, cancellationToken).ConfigureAwait(false)
            ? await ReadLayoutVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
            : await TableExistsAsync(connection, transaction, ProjectsTable, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        if (version > LayoutVersion)
        {
            throw new GranaryException(
                $"registry: its tables have layout {version}, written by a newer Granary; this one knows layouts up to {LayoutVersion} (upgrade Granary)");
        }

        if (version == LayoutVersion)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        for (var next = version + 1; next <= LayoutVersion; next++)
        {
            foreach (var statement in _dialect.MigrationSql(next))
            {
                await using var command = Command(connection, transaction, statement);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await using (var clear = Command(connection, transaction, $"DELETE FROM {LayoutTable}"))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var record = Command(connection, transaction, $"INSERT INTO {LayoutTable} (version) VALUES (@version)", ("version", LayoutVersion)))
        {
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> TableExistsAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, _dialect.TableExistsSql, ("name", table));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } found and not DBNull
            && Convert.ToInt64(found, System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    private static async Task<int> ReadLayoutVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT MAX(version) FROM {LayoutTable}");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } found and not DBNull
            ? Convert.ToInt32(found, System.Globalization.CultureInfo.InvariantCulture)
            : 1;
    }

    /// <summary>Opens a connection, creating or migrating the tables the first time (idempotent, safe from several machines).</summary>
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _dialect.InitializeConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (!_schemaReady)
            {
                await _schemaLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!_schemaReady)
                    {
                        await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
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
