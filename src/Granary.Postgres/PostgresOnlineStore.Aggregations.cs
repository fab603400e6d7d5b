using System.Text;
using Granary.Online;
using Npgsql;
using NpgsqlTypes;
using static Granary.Postgres.PostgresAggregationLayout;

namespace Granary.Postgres;

public sealed partial class PostgresOnlineStore
{
    /// <summary>PostgreSQL's code for a deadlock, which it breaks by failing one transaction.</summary>
    private const string DeadlockDetected = "40P01";

    /// <summary>Attempts of one batch of updates when PostgreSQL breaks a deadlock with it.</summary>
    private const int MaxStateAttempts = 20;

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<byte[]?>> ReadAggregationStatesAsync(
        string project, string view, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(keys);
        var found = new byte[]?[keys.Count];
        if (keys.Count == 0)
        {
            return found;
        }

        var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var k = 0; k < keys.Count; k++)
        {
            if (!positions.TryGetValue(keys[k].Canonical, out var list))
            {
                positions[keys[k].Canonical] = list = [];
            }

            list.Add(k);
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(Select(AggregationTable(project)), connection);
            command.Parameters.Add(new NpgsqlParameter("view", NpgsqlDbType.Text) { Value = view });
            command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = keys.Select(k => k.ToBytes()).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var state = reader.GetFieldValue<byte[]>(1);
                foreach (var k in positions[Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0))])
                {
                    found[k] = state;
                }
            }
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
            // No state was ever written in the project, or it was torn down: nothing to find.
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }

        return found;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One transaction: a placeholder row for each new key, then every key's row locked with
    /// <c>SELECT ... FOR UPDATE</c> in key order and read, the updates computed, the rows written.
    /// A concurrent batch of the same keys waits for the commit and then reads the new states.
    /// </remarks>
    public override async Task UpdateAggregationStatesAsync(
        string project, string view, IReadOnlyList<AggregationStateUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            return;
        }

        var table = AggregationTable(project);
        var ordered = updates.Select(u => (Key: u.Key.ToBytes(), Update: u)).OrderBy(u => u.Key, ByteOrder.Instance).ToArray();
        var keys = ordered.Select(u => u.Key).ToArray();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!_knownTables.ContainsKey(table))
            {
                await EnsureAggregationTableAsync(connection, table, cancellationToken).ConfigureAwait(false);
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await UpdateOnceAsync(connection, table, view, keys, ordered, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (PostgresException e) when (e.SqlState == DeadlockDetected && attempt < MaxStateAttempts)
                {
                    // PostgreSQL rolled this batch back to let another through; run it again.
                }
            }
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <inheritdoc/>
    public override async Task DeleteAggregationStatesAsync(string project, string view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(DeleteView(AggregationTable(project)), connection);
            command.Parameters.Add(new NpgsqlParameter("view", NpgsqlDbType.Text) { Value = view });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
            // Nothing was ever written: nothing to delete.
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    private static async Task UpdateOnceAsync(
        NpgsqlConnection connection, string table, string view, byte[][] keys, (byte[] Key, AggregationStateUpdate Update)[] updates,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var placeholders = new NpgsqlCommand(Placeholders(table), connection, transaction))
        {
            placeholders.Parameters.Add(new NpgsqlParameter("view", NpgsqlDbType.Text) { Value = view });
            placeholders.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = keys });
            await placeholders.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var stored = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var locked = new NpgsqlCommand(Lock(table), connection, transaction))
        {
            locked.Parameters.Add(new NpgsqlParameter("view", NpgsqlDbType.Text) { Value = view });
            locked.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = keys });
            await using var reader = await locked.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored[Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0))] = reader.GetFieldValue<byte[]>(1);
            }
        }

        // A state that became empty stays as an empty row: rows never disappear under a lock, so
        // a batch waiting for this one always finds, locks and writes its rows.
        var states = new byte[updates.Length][];
        for (var i = 0; i < updates.Length; i++)
        {
            var current = stored.TryGetValue(updates[i].Update.Key.Canonical, out var bytes) && bytes.Length > 0 ? bytes : null;
            states[i] = updates[i].Update.Apply(current) ?? [];
        }

        await using var write = new NpgsqlCommand(Write(table), connection, transaction);
        write.Parameters.Add(new NpgsqlParameter("view", NpgsqlDbType.Text) { Value = view });
        write.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = keys });
        write.Parameters.Add(new NpgsqlParameter("states", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = states });
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private string AggregationTable(string project) => PostgresOnlineLayout.Qualified(_options.Schema, TableName(project));

    private async Task EnsureAggregationTableAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);

        // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalogs: serialize them.
        var lockTable = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext(@table))");
        lockTable.Parameters.Add(new NpgsqlParameter("table", table));
        batch.BatchCommands.Add(lockTable);
        if (_options.Schema is { } schema)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE SCHEMA IF NOT EXISTS {PostgresSql.Id(schema)}"));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateTable(table)));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _knownTables[table] = true;
    }

    /// <summary>Orders keys as PostgreSQL orders <c>bytea</c>: byte by byte.</summary>
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
