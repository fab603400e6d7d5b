namespace Granary.Sqlite;

/// <summary>Options of the SQLite online store.</summary>
public sealed class SqliteOnlineStoreOptions
{
    /// <summary>The absolute path of the database file; its folder is created when missing. Required.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// Open connections kept for reuse, each with its prepared statements; a burst beyond it opens
    /// and closes extra ones. Default 16, valid 1 to 1,024.
    /// </summary>
    public int MaxPooledConnections { get; set; } = 16;

    /// <summary>
    /// Rows written per transaction by <c>WriteBatchAsync</c>: larger is faster, smaller keeps the
    /// write-ahead log and the time other writers wait short. Default 50,000, valid 1 to 10,000,000.
    /// </summary>
    public int RowsPerTransaction { get; set; } = 50_000;

    /// <summary>
    /// How long a statement waits for another process's write lock before failing. Default 30
    /// seconds, valid 0 to 1 hour.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
