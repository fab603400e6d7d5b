using System.Numerics;
using Granary.Online;
using Microsoft.Data.Sqlite;
using static Granary.Sqlite.SqliteSql;

namespace Granary.Sqlite;

public sealed partial class SqliteOnlineStore
{
    /// <inheritdoc/>
    public override Task<IReadOnlyList<byte[]?>> ReadAggregationStatesAsync(
        string project, string view, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(keys);
        var found = new byte[]?[keys.Count];
        var table = SqliteAggregationSql.TableName(project, view);
        var connection = _pool.RentForRead();
        try
        {
            if (keys.Count == 0 || !TableExists(connection, table))
            {
                return Task.FromResult<IReadOnlyList<byte[]?>>(found);
            }

            if (keys.Count == 1)
            {
                var one = connection.Statement(SqliteAggregationSql.SelectOne(table), 1);
                one.Parameters[0].Value = keys[0].Canonical;
                found[0] = one.ExecuteScalar() as byte[];
                return Task.FromResult<IReadOnlyList<byte[]?>>(found);
            }

            var positions = new Dictionary<string, List<int>>(keys.Count, StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++)
            {
                if (!positions.TryGetValue(keys[i].Canonical, out var list))
                {
                    positions[keys[i].Canonical] = list = [];
                }

                list.Add(i);
            }

            for (var start = 0; start < keys.Count; start += MaxKeysPerSelect)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(MaxKeysPerSelect, keys.Count - start);
                var size = (int)Math.Min(MaxKeysPerSelect, BitOperations.RoundUpToPowerOf2((uint)count));
                var command = connection.Statement(SqliteAggregationSql.Select(table, size), size);
                for (var i = 0; i < size; i++)
                {
                    // Padding repeats the chunk's last key; IN ignores the repeat.
                    command.Parameters[i].Value = keys[start + Math.Min(i, count - 1)].Canonical;
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var state = (byte[])reader.GetValue(1);
                    foreach (var position in positions[reader.GetString(0)])
                    {
                        found[position] = state;
                    }
                }
            }
        }
        catch (SqliteException e) when (IsMissingTable(e))
        {
            // Dropped by another connection or process since this one saw it: nothing to find.
            _knownTables.TryRemove(table, out _);
            Array.Clear(found);
        }
        finally
        {
            _pool.Return(connection);
        }

        return Task.FromResult<IReadOnlyList<byte[]?>>(found);
    }

    /// <inheritdoc/>
    /// <remarks>All the updates run in one immediate transaction, which holds SQLite's write lock: no other writer, in this process or another, runs in between.</remarks>
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

        var table = SqliteAggregationSql.TableName(project, view);
        await WriteAsync(connection =>
        {
            if (!_knownTables.ContainsKey(table))
            {
                connection.Statement(SqliteAggregationSql.CreateTable(table), 0).ExecuteNonQuery();
                var register = connection.Statement(RegisterTable, 3);
                register.Parameters[0].Value = table;
                register.Parameters[1].Value = project;
                register.Parameters[2].Value = view;
                register.ExecuteNonQuery();
                _knownTables[table] = true;
            }

            var select = connection.Statement(SqliteAggregationSql.SelectOne(table), 1);
            var upsert = connection.Statement(SqliteAggregationSql.Upsert(table), 2);
            var delete = connection.Statement(SqliteAggregationSql.Delete(table), 1);
            foreach (var update in updates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = update.Key.Canonical;
                select.Parameters[0].Value = key;
                var next = update.Apply(select.ExecuteScalar() as byte[]);
                if (next is null)
                {
                    delete.Parameters[0].Value = key;
                    delete.ExecuteNonQuery();
                }
                else
                {
                    upsert.Parameters[0].Value = key;
                    upsert.Parameters[1].Value = next;
                    upsert.ExecuteNonQuery();
                }
            }

            return false;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task DeleteAggregationStatesAsync(string project, string view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        var table = SqliteAggregationSql.TableName(project, view);
        await WriteAsync(connection => DropTables(connection, [table]), cancellationToken).ConfigureAwait(false);
    }
}
