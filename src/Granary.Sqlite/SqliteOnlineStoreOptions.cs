using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.Sqlite;

/// <summary>Options of the SQLite online store: <c>online_store: { type: sqlite, path: data/online.db, ... }</c>.</summary>
public sealed class SqliteOnlineStoreOptions
{
    /// <summary>
    /// The database file (<c>path</c>); its folder is created when missing. In granary.yaml it is
    /// relative to the repo, which it may not leave; default <c>data/online.db</c>. Built in code,
    /// give an absolute path (a relative one is relative to the working folder).
    /// </summary>
    [YamlKey("path", RepoPath = true)]
    [Required]
    public string Path { get; set; } = "data/online.db";

    /// <summary>
    /// Open connections kept for reuse, each with its prepared statements (<c>max_pooled_connections</c>);
    /// a burst beyond it opens and closes extra ones. Default 16, valid 1 to 1,024.
    /// </summary>
    [YamlKey("max_pooled_connections")]
    [Range(1, 1024)]
    public int MaxPooledConnections { get; set; } = 16;

    /// <summary>
    /// Rows written per transaction by <c>WriteBatchAsync</c> (<c>rows_per_transaction</c>): larger is
    /// faster, smaller keeps the write-ahead log and the time other writers wait short. Default
    /// 50,000, valid 1 to 10,000,000.
    /// </summary>
    [YamlKey("rows_per_transaction")]
    [Range(1, 10_000_000)]
    public int RowsPerTransaction { get; set; } = 50_000;

    /// <summary>
    /// How long a statement waits for another process's write lock before failing (<c>busy_timeout</c>,
    /// a duration such as <c>30s</c>). Default 30 seconds, valid 0 to 1 hour.
    /// </summary>
    [YamlKey("busy_timeout")]
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
