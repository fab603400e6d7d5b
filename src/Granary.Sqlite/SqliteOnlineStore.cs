using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using Granary.Definitions;
using Granary.Online;
using Granary.Sqlite.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Data.Sqlite;
using static Granary.Sqlite.SqliteSql;

namespace Granary.Sqlite;

/// <summary>
/// The embedded online store: one SQLite file in WAL mode, a table per view (see
/// <see cref="SqliteSql"/> for the layout). Any number of threads may read and write; writes of this
/// process go through one gate, readers never wait for them.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite's async methods complete synchronously, so the store calls the synchronous
/// ones and saves their task allocations on the serving path; cancellation is checked between statements.
/// </remarks>
public sealed partial class SqliteOnlineStore : OnlineStore
{
    /// <summary>Keys per read statement at most; smaller reads round up to a power of two so few statements are prepared.</summary>
    private const int MaxKeysPerSelect = 512;

    private readonly SqliteOnlineStoreOptions _options;
    private readonly SqliteConnectionPool _pool;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ILogger _logger;

    /// <summary>Tables this process created or saw, so that reads and writes skip the existence check.</summary>
    private readonly ConcurrentDictionary<string, bool> _knownTables = new(StringComparer.Ordinal);

    /// <summary>Each view object's table and statement texts, by reference so that a cache never outlives the views it serves.</summary>
    private readonly ConditionalWeakTable<FeatureView, ViewTable> _tables = [];

    /// <summary>Creates the store; the file is created on first use.</summary>
    /// <param name="options">The store's settings.</param>
    /// <param name="logger">Where the store logs; nowhere when null.</param>
    public SqliteOnlineStore(SqliteOnlineStoreOptions options, ILogger<SqliteOnlineStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Repo.ConfigBinder.Validate(options, "online_store (sqlite)");

        _options = options;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        _pool = new SqliteConnectionPool(options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Log.Opened(_logger, System.IO.Path.GetFullPath(options.Path));

        // Another file took the old one's place: it may lack the tables this process saw.
        _pool.FileReplaced += _knownTables.Clear;
    }

    /// <inheritdoc/>
    public override async Task UpdateAsync(
        string project, IReadOnlyList<FeatureView> keep, IReadOnlyList<FeatureView> delete, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentNullException.ThrowIfNull(delete);
        var anyDropped = false;
        await WriteAsync(connection =>
        {
            var dropped = false;
            foreach (var view in keep)
            {
                var table = TableOf(project, view);
                CreateTable(connection, project, view, table);
                dropped |= DropTables(connection, TablesOf(connection, TablesOfView, project, view.Name).Where(t => t != table));
            }

            foreach (var view in delete)
            {
                dropped |= DropTables(connection, TablesOf(connection, TablesOfView, project, view.Name));
            }

            anyDropped = dropped;
            return dropped;
        }, cancellationToken).ConfigureAwait(false);
        Log.Updated(_logger, project, keep.Count, delete.Count, anyDropped);
    }

    /// <inheritdoc/>
    public override async Task WriteBatchAsync(
        string project, FeatureView view, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(rows);
        var table = TableOf(project, view);
        var upsert = Upsert(table);
        var row = new ArrayBufferWriter<byte>(256);
        var scratch = new ArrayBufferWriter<byte>(64);
        for (var start = 0; start < rows.Count; start += _options.RowsPerTransaction)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(rows.Count, start + _options.RowsPerTransaction);
            await WriteAsync(connection =>
            {
                if (!_knownTables.ContainsKey(table))
                {
                    CreateTable(connection, project, view, table);
                }

                var command = connection.Statement(upsert, 3);
                for (var i = start; i < end; i++)
                {
                    var item = rows[i];
                    row.ResetWrittenCount();
                    FeatureValueCodec.EncodeRow(row, view.Schema, item.Values, scratch);
                    command.Parameters[0].Value = item.Key.Canonical;
                    command.Parameters[1].Value = FeatureValueCodec.ToUnixMicroseconds(item.EventTimestamp);
                    command.Parameters[2].Value = row.WrittenSpan.ToArray();
                    command.ExecuteNonQuery();
                }

                return false;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadAsync(
        string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(keys);
        var result = new IReadOnlyList<OnlineRead?>[views.Count];
        var connection = _pool.RentForRead();
        try
        {
            for (var v = 0; v < views.Count; v++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                result[v] = ReadView(connection, project, views[v], keys);
            }
        }
        finally
        {
            _pool.Return(connection);
        }

        return Task.FromResult<IReadOnlyList<IReadOnlyList<OnlineRead?>>>(result);
    }

    /// <inheritdoc/>
    public override async Task TeardownAsync(string project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        await WriteAsync(
            connection => DropTables(connection, TablesOf(connection, TablesOfProject, project, null)),
            cancellationToken).ConfigureAwait(false);
        Log.TornDown(_logger, project);
    }

    /// <inheritdoc/>
    /// <exception cref="GranaryException">The file cannot be opened or read; the message names it.</exception>
    public override Task PingAsync(CancellationToken cancellationToken = default)
    {
        PooledSqliteConnection connection;
        try
        {
            connection = _pool.Rent();
        }
        catch (SqliteException e)
        {
            throw new GranaryException($"cannot open the SQLite online store at '{_options.Path}': {e.Message}", e);
        }

        try
        {
            connection.Statement("SELECT 1", 0).ExecuteScalar();
        }
        catch (SqliteException e)
        {
            throw new GranaryException($"cannot read the SQLite online store at '{_options.Path}': {e.Message}", e);
        }
        finally
        {
            _pool.Return(connection);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        _pool.Dispose();
        _writeGate.Dispose();
        return base.DisposeAsync();
    }

    private OnlineRead?[] ReadView(PooledSqliteConnection connection, string project, OnlineViewRead read, IReadOnlyList<EntityKey> keys)
    {
        var found = new OnlineRead?[keys.Count];
        var viewTable = ViewTableOf(project, read.View);
        var table = viewTable.Name;
        if (keys.Count == 0 || !TableExists(connection, table))
        {
            return found;
        }

        var wanted = new int[read.Features.Count];
        for (var i = 0; i < wanted.Length; i++)
        {
            wanted[i] = IndexOf(read.View, read.Features[i]);
        }

        Dictionary<string, int>? positions = null;
        if (keys.Count > 1)
        {
            positions = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++)
            {
                positions.TryAdd(keys[i].Canonical, i);
            }
        }

        var ranges = new Range[read.View.Schema.Count];
        try
        {
            for (var start = 0; start < keys.Count; start += MaxKeysPerSelect)
            {
                var count = Math.Min(MaxKeysPerSelect, keys.Count - start);
                var size = (int)Math.Min(MaxKeysPerSelect, BitOperations.RoundUpToPowerOf2((uint)count));
                var command = connection.Statement(viewTable.Select(size), size);
                for (var i = 0; i < size; i++)
                {
                    // Padding repeats the chunk's last key; IN ignores the repeat.
                    command.Parameters[i].Value = keys[start + Math.Min(i, count - 1)].Canonical;
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var position = positions is null ? 0 : positions[reader.GetString(0)];
                    var blob = (byte[])reader.GetValue(2);
                    FeatureValueCodec.SplitRow(blob, ranges);
                    var values = new object?[wanted.Length];
                    for (var i = 0; i < wanted.Length; i++)
                    {
                        values[i] = FeatureValueCodec.Decode(read.View.Schema[wanted[i]].Dtype, blob.AsSpan(ranges[wanted[i]]));
                    }

                    found[position] = new OnlineRead(FeatureValueCodec.FromUnixMicroseconds(reader.GetInt64(1)), values);
                }
            }
        }
        catch (SqliteException e) when (IsMissingTable(e))
        {
            // Dropped by another connection or process since this one saw it: nothing to find.
            _knownTables.TryRemove(table, out _);
            return new OnlineRead?[keys.Count];
        }

        if (positions is not null && positions.Count < keys.Count)
        {
            // A key asked for twice gets the row found for its first occurrence.
            for (var i = 0; i < keys.Count; i++)
            {
                found[i] ??= found[positions[keys[i].Canonical]];
            }
        }

        return found;
    }

    private static int IndexOf(FeatureView view, Field feature)
    {
        for (var i = 0; i < view.Schema.Count; i++)
        {
            if (view.Schema[i].Name == feature.Name)
            {
                return i;
            }
        }

        throw new GranaryException($"feature view '{view.Name}' has no feature '{feature.Name}'");
    }

    private string TableOf(string project, FeatureView view) => ViewTableOf(project, view).Name;

    private ViewTable ViewTableOf(string project, FeatureView view)
    {
        if (_tables.TryGetValue(view, out var cached) && cached.Project == project)
        {
            return cached;
        }

        var table = new ViewTable(project, TableName(project, view));
        _tables.AddOrUpdate(view, table);
        return table;
    }

    private bool TableExists(PooledSqliteConnection connection, string table)
    {
        if (_knownTables.ContainsKey(table))
        {
            return true;
        }

        var command = connection.Statement(SqliteSql.TableExists, 1);
        command.Parameters[0].Value = table;
        if (command.ExecuteScalar() is null)
        {
            return false;
        }

        _knownTables[table] = true;
        return true;
    }

    private void CreateTable(PooledSqliteConnection connection, string project, FeatureView view, string table)
    {
        connection.Statement(SqliteSql.CreateTable(table), 0).ExecuteNonQuery();
        var register = connection.Statement(RegisterTable, 3);
        register.Parameters[0].Value = table;
        register.Parameters[1].Value = project;
        register.Parameters[2].Value = view.Name;
        register.ExecuteNonQuery();
        _knownTables[table] = true;
    }

    private static List<string> TablesOf(PooledSqliteConnection connection, string sql, string project, string? view)
    {
        var command = connection.Statement(sql, view is null ? 1 : 2);
        command.Parameters[0].Value = project;
        if (view is not null)
        {
            command.Parameters[1].Value = view;
        }

        var tables = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private bool DropTables(PooledSqliteConnection connection, IEnumerable<string> tables)
    {
        var dropped = false;
        foreach (var table in tables)
        {
            // Not a cached statement: a prepared DROP would outlive its table.
            using (var drop = connection.Connection.CreateCommand())
            {
                drop.CommandText = DropTable(table);
                drop.ExecuteNonQuery();
            }

            var unregister = connection.Statement(UnregisterTable, 1);
            unregister.Parameters[0].Value = table;
            unregister.ExecuteNonQuery();
            _knownTables.TryRemove(table, out _);
            dropped = true;
        }

        return dropped;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one immediate transaction behind the process's write gate;
    /// <paramref name="work"/> returns whether it dropped tables.
    /// </summary>
    private async Task WriteAsync(Func<PooledSqliteConnection, bool> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = _pool.Rent();
        var dropped = false;
        try
        {
            connection.Statement(CreateCatalog, 0).ExecuteNonQuery();
            connection.Statement("BEGIN IMMEDIATE", 0).ExecuteNonQuery();
            try
            {
                dropped = work(connection);
                connection.Statement("COMMIT", 0).ExecuteNonQuery();
            }
            catch
            {
                connection.Statement("ROLLBACK", 0).ExecuteNonQuery();
                throw;
            }

            // Committed into a file that is no longer at the path is committed nowhere anyone reads: never report it done.
            _pool.CheckFile();
            if (connection.FileEpoch != _pool.FileEpoch)
            {
                throw new IOException($"the SQLite online store file '{_options.Path}' was replaced or deleted while this write ran; the rows went to the old file and are not stored");
            }
        }
        finally
        {
            if (dropped)
            {
                // Other connections' statements may name the dropped tables; this one's too.
                connection.ForgetStatementsBefore(_pool.SchemaChanged());
            }

            _pool.Return(connection);
            _writeGate.Release();
        }
    }

    /// <summary>A view's table in one project and its read statements by key count, built once.</summary>
    private sealed class ViewTable(string project, string name)
    {
        private readonly string?[] _selects = new string?[BitOperations.Log2(MaxKeysPerSelect) + 1];

        public string Project { get; } = project;

        public string Name { get; } = name;

        /// <summary>The SELECT of <paramref name="keys"/> keys, a power of two.</summary>
        public string Select(int keys) => _selects[BitOperations.Log2((uint)keys)] ??= SqliteSql.Select(Name, keys);
    }

    private static bool IsMissingTable(SqliteException e) =>
        e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal);
}
