using Granary.Online;
using StackExchange.Redis;
using static Granary.Redis.RedisAggregationLayout;

namespace Granary.Redis;

public sealed partial class RedisOnlineStore
{
    /// <summary>Attempts of one read-modify-write before a key is declared too contended.</summary>
    private const int MaxStateAttempts = 1000;

    /// <inheritdoc/>
    /// <remarks>One <c>HGET</c> per key, all pipelined before any reply is awaited.</remarks>
    public override async Task<IReadOnlyList<byte[]?>> ReadAggregationStatesAsync(
        string project, string view, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Check(project, view, keys);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var replies = new Task<RedisValue>[keys.Count];
        for (var k = 0; k < keys.Count; k++)
        {
            replies[k] = db.HashGetAsync(StateKey(project, view, keys[k]), StateField);
        }

        if (keys.Count > 0)
        {
            await Task.WhenAll(replies).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return replies.Select(r => r.Result.IsNull ? null : (byte[]?)r.Result).ToArray();
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Optimistic per key: read the state and its version, compute, then write with
    /// <see cref="RedisScripts.CompareAndSetState"/>, which writes only if the version is unchanged;
    /// otherwise read again and retry. Keys are updated concurrently, <c>rows_in_flight</c> at a time.
    /// </remarks>
    public override async Task UpdateAggregationStatesAsync(
        string project, string view, IReadOnlyList<AggregationStateUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        Check(project, view, updates.Select(u => u.Key).ToArray());
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var ttl = (long)_options.KeyTtl.TotalSeconds;
        for (var start = 0; start < updates.Count; start += _options.RowsInFlight)
        {
            var end = Math.Min(updates.Count, start + _options.RowsInFlight);
            var calls = new Task[end - start];
            for (var i = start; i < end; i++)
            {
                calls[i - start] = UpdateStateAsync(db, StateKey(project, view, updates[i].Key), updates[i], ttl, cancellationToken);
            }

            await Task.WhenAll(calls).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>SCANs the view's state keys on every primary and UNLINKs them, grouped by hash slot.</remarks>
    public override async Task DeleteAggregationStatesAsync(string project, string view, CancellationToken cancellationToken = default)
    {
        Check(project, view, []);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await ForEachKeyAsync(db, ViewPattern(project, view), keys => Task.WhenAll(keys
            .GroupBy(key => _connection!.HashSlot(key))
            .Select(slot => db.ExecuteAsync("UNLINK", slot.Cast<object>().ToArray()))), cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpdateStateAsync(IDatabase db, RedisKey key, AggregationStateUpdate update, long ttl, CancellationToken cancellationToken)
    {
        RedisValue[] fields = [VersionField, StateField];
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stored = await db.HashGetAsync(key, fields).ConfigureAwait(false);
            var current = stored[1].IsNull ? null : (byte[]?)stored[1];
            var next = update.Apply(current);
            if (current is null && next is null)
            {
                return;
            }

            var version = next is null ? RedisValue.EmptyString : (RedisValue)NewVersion();
            var written = await db.ScriptEvaluateAsync(
                RedisScripts.CompareAndSetState,
                [key],
                [stored[0].IsNull ? RedisValue.EmptyString : stored[0], version, next ?? [], ttl]).ConfigureAwait(false);
            if ((long)written == 1)
            {
                return;
            }

            if (attempt == MaxStateAttempts)
            {
                throw new GranaryException($"the aggregation state at Redis key '{key}' changed under {MaxStateAttempts} attempts in a row to update it; too many writers of one entity");
            }
        }
    }

    private static byte[] NewVersion()
    {
        var version = new byte[8];
        Random.Shared.NextBytes(version);
        return version;
    }
}
