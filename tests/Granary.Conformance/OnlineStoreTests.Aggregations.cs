using System.Buffers.Binary;
using Granary.Definitions;
using Granary.Online;

namespace Granary.Conformance;

/// <summary>
/// The aggregation-state part of the online contract: opaque bytes per (project, view, entity key),
/// updated by atomic read-modify-writes. The bytes here are a little-endian counter or arbitrary
/// payloads; the store never looks inside them.
/// </summary>
public abstract partial class OnlineStoreTests
{
    private static byte[] Counter(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static long CounterOf(byte[]? bytes) => bytes is null ? 0 : BinaryPrimitives.ReadInt64LittleEndian(bytes);

    private static AggregationStateUpdate Increment(EntityKey key, long by = 1) => new(key, current => Counter(CounterOf(current) + by));

    private static AggregationStateUpdate Set(EntityKey key, byte[]? value) => new(key, _ => value);

    [Fact]
    public async Task ReadAggregationStatesAsync_NothingWritten_ReturnsNullForEveryKey()
    {
        var project = NewProject();

        var states = await Store.ReadAggregationStatesAsync(project, "txn", [Key(1), Key(2)]);

        Assert.Equal([null, null], states);
        Assert.Empty(await Store.ReadAggregationStatesAsync(project, "txn", []));
    }

    [Fact]
    public async Task UpdateAggregationStatesAsync_NewThenExistingKey_ApplySeesNullThenTheStoredBytes()
    {
        var project = NewProject();
        var seen = new List<byte[]?>();
        AggregationStateUpdate Record(byte[] next) => new(Key(1), current =>
        {
            seen.Add(current);
            return next;
        });

        await Store.UpdateAggregationStatesAsync(project, "txn", [Record([1, 2, 3])]);
        await Store.UpdateAggregationStatesAsync(project, "txn", [Record([4])]);

        Assert.Null(seen[0]);
        Assert.Equal([1, 2, 3], seen[^1]);
        Assert.Equal([[4], null], await Store.ReadAggregationStatesAsync(project, "txn", [Key(1), Key(2)]));
    }

    [Fact]
    public async Task UpdateAggregationStatesAsync_ApplyReturnsNull_DeletesTheState()
    {
        var project = NewProject();
        await Store.UpdateAggregationStatesAsync(project, "txn", [Set(Key(1), [9]), Set(Key(2), [8])]);

        await Store.UpdateAggregationStatesAsync(project, "txn", [Set(Key(1), null)]);

        Assert.Equal([null, [8]], await Store.ReadAggregationStatesAsync(project, "txn", [Key(1), Key(2)]));
        var seen = new List<byte[]?>();
        await Store.UpdateAggregationStatesAsync(project, "txn", [new AggregationStateUpdate(Key(1), current =>
        {
            seen.Add(current);
            return null;
        })]);
        Assert.All(seen, Assert.Null);
    }

    [Fact]
    public async Task UpdateAggregationStatesAsync_SameKeyInOtherViewsAndProjects_AreIsolated()
    {
        var first = NewProject();
        var second = NewProject();

        await Store.UpdateAggregationStatesAsync(first, "txn", [Set(Key(1), [1])]);
        await Store.UpdateAggregationStatesAsync(first, "clicks", [Set(Key(1), [2])]);
        await Store.UpdateAggregationStatesAsync(second, "txn", [Set(Key(1), [3])]);

        Assert.Equal([[1]], await Store.ReadAggregationStatesAsync(first, "txn", [Key(1)]));
        Assert.Equal([[2]], await Store.ReadAggregationStatesAsync(first, "clicks", [Key(1)]));
        Assert.Equal([[3]], await Store.ReadAggregationStatesAsync(second, "txn", [Key(1)]));
    }

    [Fact]
    public async Task ReadAggregationStatesAsync_CompositeStringAndRepeatedKeys_KeepEachKeyApart()
    {
        var project = NewProject();
        static EntityKey Pair(long user, string merchant) => new(["user_id", "merchant"], [user, merchant]);
        await Store.UpdateAggregationStatesAsync(project, "pairs", [Set(Pair(1, "a"), [1]), Set(Pair(1, "b"), [2]), Set(Pair(2, "a"), [3]), Set(Pair(1, "a:b=c\u001f{x}*"), [4])]);

        var states = await Store.ReadAggregationStatesAsync(project, "pairs", [Pair(2, "a"), Pair(1, "a:b=c\u001f{x}*"), Pair(1, "a"), Pair(2, "b"), Pair(1, "a")]);

        Assert.Equal([[3], [4], [1], null, [1]], states);
        Assert.Equal([null], await Store.ReadAggregationStatesAsync(project, "pairs", [new EntityKey(["rider_id", "merchant"], [1L, "a"])]));
    }

    [Fact]
    public async Task UpdateAggregationStatesAsync_LargeStateAndManyKeys_ReadBackWhole()
    {
        var project = NewProject();
        var large = new byte[1 << 20];
        new Random(5).NextBytes(large);
        var keys = Enumerable.Range(0, 3000).Select(i => Key(i)).ToArray();

        await Store.UpdateAggregationStatesAsync(project, "txn", keys.Select((k, i) => i == 0 ? Set(k, large) : Set(k, Counter(i))).ToArray());

        var states = await Store.ReadAggregationStatesAsync(project, "txn", keys);
        Assert.Equal(large, states[0]);
        Assert.All(Enumerable.Range(1, keys.Length - 1), i => Assert.Equal(i, CounterOf(states[i])));
    }

    [Fact]
    public async Task DeleteAggregationStatesAsync_OneView_RemovesOnlyItsStates()
    {
        var project = NewProject();
        var other = NewProject();
        var features = View("stats", F("v", "int64"));
        await PrepareAsync(project, features);
        await Store.WriteBatchAsync(project, features, [Row(1, T0, 5L)]);
        await Store.UpdateAggregationStatesAsync(project, "gone", [Set(Key(1), [1]), Set(Key(2), [2])]);
        await Store.UpdateAggregationStatesAsync(project, "kept", [Set(Key(1), [3])]);
        await Store.UpdateAggregationStatesAsync(other, "gone", [Set(Key(1), [4])]);

        await Store.DeleteAggregationStatesAsync(project, "gone");

        Assert.Equal([null, null], await Store.ReadAggregationStatesAsync(project, "gone", [Key(1), Key(2)]));
        Assert.Equal([[3]], await Store.ReadAggregationStatesAsync(project, "kept", [Key(1)]));
        Assert.Equal([[4]], await Store.ReadAggregationStatesAsync(other, "gone", [Key(1)]));
        Assert.Equal([5L], (await ReadOneAsync(project, features, 1))!.Values);

        // The view can be written again, and deleting a view never written does nothing.
        await Store.UpdateAggregationStatesAsync(project, "gone", [Increment(Key(1))]);
        Assert.Equal(1, CounterOf((await Store.ReadAggregationStatesAsync(project, "gone", [Key(1)]))[0]));
        await Store.DeleteAggregationStatesAsync(NewProject(), "never");
    }

    [Fact]
    public async Task TeardownAsync_WithAggregationStates_RemovesThemAndLeavesOtherProject()
    {
        var doomed = NewProject();
        var other = NewProject();
        foreach (var project in new[] { doomed, other })
        {
            await Store.UpdateAggregationStatesAsync(project, "txn", [Set(Key(1), [1]), Set(Key(2), [2])]);
        }

        await Store.TeardownAsync(doomed);

        Assert.Equal([null, null], await Store.ReadAggregationStatesAsync(doomed, "txn", [Key(1), Key(2)]));
        Assert.Equal([[1], [2]], await Store.ReadAggregationStatesAsync(other, "txn", [Key(1), Key(2)]));
        await Store.UpdateAggregationStatesAsync(doomed, "txn", [Increment(Key(1), 7)]);
        Assert.Equal(7, CounterOf((await Store.ReadAggregationStatesAsync(doomed, "txn", [Key(1)]))[0]));
    }

    [Fact]
    public async Task UpdateAggregationStatesAsync_ConcurrentWritersOfOneKeyFromTwoStores_LoseNothing()
    {
        // Eight writers, half through a second store instance (another connection pool, as another
        // process would have), each adding 1 fifty times to the same key.
        var project = NewProject();
        await using var second = await CreateStoreAsync();
        const int writers = 8;
        const int increments = 50;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var store = w % 2 == 0 ? Store : second;
            for (var i = 0; i < increments; i++)
            {
                await store.UpdateAggregationStatesAsync(project, "txn", [Increment(Key(1))]);
            }
        })));

        Assert.Equal(writers * increments, CounterOf((await Store.ReadAggregationStatesAsync(project, "txn", [Key(1)]))[0]));
    }

    [Fact]
    public async Task UpdateAggregationStatesAsync_ConcurrentBatchesOverlappingInAnyOrder_LoseNothing()
    {
        // Each writer updates the same ten keys per call, in its own shuffled order: stores that
        // lock must not deadlock, and none may lose an update.
        var project = NewProject();
        await using var second = await CreateStoreAsync();
        var keys = Enumerable.Range(0, 10).Select(i => Key(i)).ToArray();
        const int writers = 6;
        const int calls = 20;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var store = w % 2 == 0 ? Store : second;
            for (var c = 0; c < calls; c++)
            {
                await store.UpdateAggregationStatesAsync(project, "txn", keys.OrderBy(_ => random.Next()).Select(k => Increment(k)).ToArray());
            }
        })));

        var states = await Store.ReadAggregationStatesAsync(project, "txn", keys);
        Assert.All(states, s => Assert.Equal(writers * calls, CounterOf(s)));
    }
}
