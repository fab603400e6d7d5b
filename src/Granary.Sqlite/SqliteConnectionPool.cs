using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>
/// Open connections with their prepared statements, rented one per operation. Ours rather than
/// Microsoft.Data.Sqlite's pool because that one finalizes statements when a command is disposed,
/// and preparing the statement again would cost more than the lookup it runs.
/// </summary>
/// <remarks>
/// The pool also watches the file's identity. An open connection keeps reading and writing a file that was
/// deleted or replaced under it, so the server would serve stale rows and acknowledge writes nobody can read.
/// After the first open the pool keeps a handle on the file and, before each rent and after each write,
/// checks that the path still names that file (on Linux through <c>/proc/self/fd</c>; elsewhere only that
/// the file exists). A replaced file is reopened: every connection to the old one is dropped. A deleted file
/// is an error (<see cref="IOException"/>) until a file is back at the path; the pool never creates the file
/// again by itself, as that would answer reads with an empty store.
/// </remarks>
internal sealed class SqliteConnectionPool : IDisposable
{
    private readonly ConcurrentBag<PooledSqliteConnection> _idle = [];
    private readonly SqliteOnlineStoreOptions _options;
    private readonly string _createConnectionString;
    private readonly string _openConnectionString;
    private readonly string _path;
    private readonly Lock _fileLock = new();
    private FileStream? _file;
    private string? _realPath;
    private bool _opened;
    private int _fileEpoch;
    private int _idleCount;
    private int _schemaGeneration;
    private bool _disposed;

    public SqliteConnectionPool(SqliteOnlineStoreOptions options)
    {
        _options = options;
        _path = System.IO.Path.GetFullPath(options.Path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)options.BusyTimeout.TotalSeconds,
        };
        _createConnectionString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWrite;
        _openConnectionString = builder.ToString();
    }

    /// <summary>Raised when the file was found replaced: caches of what the old file held must go.</summary>
    public event Action? FileReplaced;

    /// <summary>How often a read checks that the file is still the one opened: readlink costs a read a third of its time.</summary>
    private const long ReadCheckIntervalMs = 1000;

    private long _fileCheckedAt = long.MinValue / 2;

    /// <summary>Rents a connection after checking the file, as writes and pings do every time.</summary>
    public PooledSqliteConnection Rent() => Rent(checkFile: true);

    /// <summary>
    /// Rents a connection for a read: the file is checked at most once a second, so a read in the second after
    /// the file was deleted or replaced may still answer from the file it had open (the data as it was).
    /// </summary>
    public PooledSqliteConnection RentForRead() =>
        Rent(checkFile: Environment.TickCount64 - Volatile.Read(ref _fileCheckedAt) >= ReadCheckIntervalMs);

    private PooledSqliteConnection Rent(bool checkFile)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (checkFile)
        {
            CheckFile();
        }

        var epoch = FileEpoch;
        while (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            if (connection.FileEpoch != epoch)
            {
                connection.Dispose();
                continue;
            }

            connection.ForgetStatementsBefore(Volatile.Read(ref _schemaGeneration));
            return connection;
        }

        return Open();
    }

    public void Return(PooledSqliteConnection connection)
    {
        if (_disposed || connection.FileEpoch != FileEpoch)
        {
            connection.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > _options.MaxPooledConnections)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
    }

    /// <summary>Grows each time the file was found replaced or deleted; a connection opened in an older epoch holds the old file.</summary>
    public int FileEpoch => Volatile.Read(ref _fileEpoch);

    /// <summary>
    /// Throws <see cref="IOException"/> when the file the pool opened is no longer at its path and nothing is; drops
    /// the connections to the old file when another file took its place. Called before every rent, and by writers
    /// after they commit, so that a write into a deleted file is never reported as done.
    /// </summary>
    public void CheckFile()
    {
        if (Volatile.Read(ref _file) is null || IsSameFile())
        {
            Volatile.Write(ref _fileCheckedAt, Environment.TickCount64);
            return;
        }

        lock (_fileLock)
        {
            if (_file is null || IsSameFile())
            {
                return;
            }

            _file.Dispose();
            _file = null;
            Interlocked.Increment(ref _fileEpoch);
            while (_idle.TryTake(out var stale))
            {
                Interlocked.Decrement(ref _idleCount);
                stale.Dispose();
            }
        }

        FileReplaced?.Invoke();
        if (!File.Exists(_path))
        {
            throw Deleted();
        }
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

        lock (_fileLock)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    private IOException Deleted() => new(
        $"the SQLite online store file '{_path}' was deleted while open; reads and writes fail until a file is back at that path " +
        "(restore it, or run 'granary apply' and materialize again)");

    private bool IsSameFile()
    {
        var file = _file;
        if (file is null)
        {
            return true;
        }

        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(_path);
        }

        // The descriptor's link names the file it holds, or ends in " (deleted)" once the file was unlinked.
        var held = new FileInfo($"/proc/self/fd/{file.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
        return held is null || held == _realPath;
    }

    private PooledSqliteConnection Open()
    {
        var epoch = Volatile.Read(ref _fileEpoch);
        var connection = new SqliteConnection(_opened ? _openConnectionString : _createConnectionString);
        try
        {
            try
            {
                connection.Open();
            }
            catch (SqliteException) when (_opened && !File.Exists(_path))
            {
                throw Deleted();
            }

            using var pragma = connection.CreateCommand();

            // WAL lets readers run while one writer writes; NORMAL sync is durable against a
            // process crash and loses at most the last transactions on power loss, as usual with WAL.
            pragma.CommandText =
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; " +
                $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA mmap_size = 268435456;";
            pragma.ExecuteNonQuery();
            WatchFile();
            return new PooledSqliteConnection(connection, Volatile.Read(ref _schemaGeneration)) { FileEpoch = epoch };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Keeps a handle on the file the connections opened, once, so that its identity can be compared with the path's.</summary>
    private void WatchFile()
    {
        if (Volatile.Read(ref _file) is not null)
        {
            return;
        }

        lock (_fileLock)
        {
            if (_file is not null || _disposed)
            {
                return;
            }

            _file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _realPath = Repo.RepoPaths.RealPath(_path);
            _opened = true;
        }
    }
}
