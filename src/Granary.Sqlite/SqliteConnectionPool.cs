using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>
/// Open connections with their prepared statements, rented one per operation. Ours rather than
/// Microsoft.Data.Sqlite's pool because that one finalizes statements when a command is disposed,
/// and preparing the statement again would cost more than the lookup it runs.
/// </summary>
internal sealed class SqliteConnectionPool : IDisposable
{
    private readonly ConcurrentBag<PooledSqliteConnection> _idle = [];
    private readonly SqliteOnlineStoreOptions _options;
    private readonly string _connectionString;
    private int _idleCount;
    private int _schemaGeneration;
    private bool _disposed;

    public SqliteConnectionPool(SqliteOnlineStoreOptions options)
    {
        _options = options;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)options.BusyTimeout.TotalSeconds,
        }.ToString();
    }

    public PooledSqliteConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.ForgetStatementsBefore(Volatile.Read(ref _schemaGeneration));
            return connection;
        }

        return Open();
    }

    public void Return(PooledSqliteConnection connection)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > _options.MaxPooledConnections)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
    }

    /// <summary>
    /// Called after tables were dropped: idle connections finalize their statements before their
    /// next use rather than keep statements on tables that are gone. Returns the new generation.
    /// </summary>
    public int SchemaChanged() => Interlocked.Increment(ref _schemaGeneration);

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private PooledSqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();

            // WAL lets readers run while one writer writes; NORMAL sync is durable against a
            // process crash and loses at most the last transactions on power loss, as usual with WAL.
            pragma.CommandText =
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; " +
                $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA mmap_size = 268435456;";
            pragma.ExecuteNonQuery();
            return new PooledSqliteConnection(connection, Volatile.Read(ref _schemaGeneration));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
