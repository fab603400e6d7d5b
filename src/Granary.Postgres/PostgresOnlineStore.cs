using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Granary.Definitions;
using Granary.Online;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using static Granary.Postgres.PostgresOnlineLayout;

namespace Granary.Postgres;

/// <summary>
/// The online store on PostgreSQL: one table per project (see <see cref="PostgresOnlineLayout"/>),
/// the monotonic event-time rule enforced by the upsert itself, reads of many views and keys in one
/// round trip, writes in batches of array parameters.
/// </summary>
public sealed partial class PostgresOnlineStore : OnlineStore
{
    private const string What = "online store";

    /// <summary>PostgreSQL's code for a missing table.</summary>
    private const string UndefinedTable = "42P01";

    private readonly PostgresOnlineStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ConcurrentDictionary<string, bool> _knownTables = new(StringComparer.Ordinal);

    /// <summary>Each view object's schema fingerprint, by reference so that a cache never outlives the views it serves.</summary>
    private readonly ConditionalWeakTable<FeatureView, StrongBox<long>> _fingerprints = [];

    /// <summary>Creates the store; tables are created by <see cref="UpdateAsync"/> or the first write.</summary>
    /// <exception cref="GranaryException">The options are invalid, or a named password variable is not set.</exception>
    /// <param name="options">The store's settings.</param>
    /// <param name="loggerFactory">Where Npgsql and the store log; nowhere when null.</param>
    public PostgresOnlineStore(PostgresOnlineStoreOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Repo.ConfigBinder.Validate(options, "online_store (postgres)");

        _options = options;
        _dataSource = PostgresDataSources.Create(options, "online_store", serving: true, loggerFactory);
    }

    /// <inheritdoc/>
    public override async Task UpdateAsync(
        string project, IReadOnlyList<FeatureView> keep, IReadOnlyList<FeatureView> delete, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentNullException.ThrowIfNull(delete);
        var table = Table(project);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await EnsureTableAsync(connection, table, cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection);
            foreach (var view in keep)
            {
                // Rows written under another schema can never be read again: drop them now.
                batch.BatchCommands.Add(Command($"DELETE FROM {table} WHERE view_name = @view AND schema_fp <> @fp",
                    new NpgsqlParameter("view", view.Name), new NpgsqlParameter("fp", Fingerprint(view))));
            }

            foreach (var view in delete)
            {
                batch.BatchCommands.Add(Command($"DELETE FROM {table} WHERE view_name = @view", new NpgsqlParameter("view", view.Name)));
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <inheritdoc/>
    public override async Task WriteBatchAsync(
        string project, FeatureView view, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var table = Table(project);
        var fingerprint = FingerprintOf(view);
        var row = new ArrayBufferWriter<byte>(256);
        var scratch = new ArrayBufferWriter<byte>(64);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!_knownTables.ContainsKey(table))
            {
                await EnsureTableAsync(connection, table, cancellationToken).ConfigureAwait(false);
            }

            for (var start = 0; start < rows.Count; start += _options.RowsPerStatement)
            {
                var count = Math.Min(_options.RowsPerStatement, rows.Count - start);
                var keys = new byte[count][];
                var times = new long[count];
                var values = new byte[count][];
                for (var i = 0; i < count; i++)
                {
                    var item = rows[start + i];
                    row.ResetWrittenCount();
                    FeatureValueCodec.EncodeRow(row, view.Schema, item.Values, scratch);
                    keys[i] = item.Key.ToBytes();
                    times[i] = FeatureValueCodec.ToUnixMicroseconds(item.EventTimestamp);
                    values[i] = row.WrittenSpan.ToArray();
                }

                await using var command = new NpgsqlCommand(Upsert(table), connection);
                command.Parameters.Add(new NpgsqlParameter("view", NpgsqlDbType.Text) { Value = view.Name });
                command.Parameters.Add(new NpgsqlParameter("fp", NpgsqlDbType.Bigint) { Value = fingerprint });
                command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = keys });
                command.Parameters.Add(new NpgsqlParameter("ts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = times });
                command.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = values });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadAsync(
        string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(keys);
        var result = new OnlineRead?[views.Count][];
        for (var v = 0; v < views.Count; v++)
        {
            result[v] = new OnlineRead?[keys.Count];
        }

        if (views.Count == 0 || keys.Count == 0)
        {
            return result;
        }

        // Where each (view, key) row lands: a view may be asked for twice, a key may repeat.
        var viewPositions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var v = 0; v < views.Count; v++)
        {
            if (!viewPositions.TryGetValue(views[v].View.Name, out var list))
            {
                viewPositions[views[v].View.Name] = list = [];
            }

            list.Add(v);
        }

        var keyBytes = new byte[keys.Count][];
        var keyPositions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var k = 0; k < keys.Count; k++)
        {
            keyBytes[k] = keys[k].ToBytes();
            if (!keyPositions.TryGetValue(keys[k].Canonical, out var list))
            {
                keyPositions[keys[k].Canonical] = list = [];
            }

            list.Add(k);
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(Select(Table(project)), connection);
            command.Parameters.Add(new NpgsqlParameter("views", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = viewPositions.Keys.ToArray() });
            command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = keyBytes });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var viewName = reader.GetString(0);
                var key = System.Text.Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(1));
                var eventTime = FeatureValueCodec.FromUnixMicroseconds(reader.GetInt64(2));
                var fingerprint = reader.GetInt64(3);
                var blob = reader.GetFieldValue<byte[]>(4);
                if (!keyPositions.TryGetValue(key, out var keyList) || !viewPositions.TryGetValue(viewName, out var viewList))
                {
                    continue;
                }

                foreach (var v in viewList)
                {
                    if (FingerprintOf(views[v].View) != fingerprint)
                    {
                        continue; // written under another schema: not this view's row any more
                    }

                    var read = Decode(views[v], eventTime, blob);
                    foreach (var k in keyList)
                    {
                        result[v][k] = read;
                    }
                }
            }
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
            // The project was never prepared or was torn down: nothing to find.
            _knownTables.TryRemove(Table(project), out _);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }

        return result;
    }

    /// <inheritdoc/>
    public override async Task TeardownAsync(string project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var table = Table(project);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}; DROP TABLE IF EXISTS {AggregationTable(project)}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _knownTables.TryRemove(table, out _);
            _knownTables.TryRemove(AggregationTable(project), out _);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <inheritdoc/>
    public override async Task PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static OnlineRead Decode(OnlineViewRead read, DateTimeOffset eventTime, byte[] blob)
    {
        var schema = read.View.Schema;
        Span<Range> ranges = schema.Count <= 128 ? stackalloc Range[schema.Count] : new Range[schema.Count];
        FeatureValueCodec.SplitRow(blob, ranges);
        var values = new object?[read.Features.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var index = IndexOf(schema, read.Features[i]);
            values[i] = FeatureValueCodec.Decode(schema[index].Dtype, blob.AsSpan(ranges[index]));
        }

        return new OnlineRead(eventTime, values);
    }

    private static int IndexOf(IReadOnlyList<Field> schema, Field feature)
    {
        for (var i = 0; i < schema.Count; i++)
        {
            if (schema[i].Name == feature.Name)
            {
                return i;
            }
        }

        throw new GranaryException($"feature '{feature.Name}' is not in the view's schema");
    }

    private string Table(string project) => Qualified(_options.Schema, TableName(project));

    private long FingerprintOf(FeatureView view) => _fingerprints.GetValue(view, static v => new StrongBox<long>(Fingerprint(v))).Value;

    private async Task EnsureTableAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);

        // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalogs: serialize them.
        batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock(hashtext(@table))", new NpgsqlParameter("table", table)));
        if (_options.Schema is { } schema)
        {
            batch.BatchCommands.Add(Command($"CREATE SCHEMA IF NOT EXISTS {PostgresSql.Id(schema)}"));
        }

        batch.BatchCommands.Add(Command(CreateTable(table)));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _knownTables[table] = true;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
