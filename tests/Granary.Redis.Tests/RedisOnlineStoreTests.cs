using Granary.Conformance;
using Granary.Definitions;
using Granary.Online;

namespace Granary.Redis.Tests;

public sealed class RedisStandaloneOnlineStoreTests(RedisServerFixture redis) : OnlineStoreTests, IClassFixture<RedisServerFixture>
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString }));

    protected override Task<(OnlineStore Store, string Name)> CreateUnreachableStoreAsync() => Unreachable.CreateAsync();
}

public sealed class RedisClusterOnlineStoreTests(RedisClusterFixture cluster) : OnlineStoreTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = cluster.ConnectionString }));

    protected override Task<(OnlineStore Store, string Name)> CreateUnreachableStoreAsync() => Unreachable.CreateAsync();

    [Fact]
    public async Task WriteBatchAsync_ManyKeys_SpreadOverEveryNodeAndTeardownEmptiesEach()
    {
        var project = NewProject();
        var view = new FeatureView { Name = "v", Entities = ["e"], Source = "s", Schema = [new Field { Name = "x", Dtype = DataType.Int64 }] };
        await Store.UpdateAsync(project, [view], []);

        await Store.WriteBatchAsync(project, view, Enumerable.Range(0, 300).Select(i => new OnlineRow(new EntityKey(["id"], [(long)i]), DateTimeOffset.UnixEpoch, [(long)i])).ToArray());

        // 300 keys over 16,384 slots split in three ranges: every node holds some of them.
        Assert.All(await Task.WhenAll(cluster.Nodes.Select(n => n.CliAsync("--scan", "--pattern", project + ":*"))), keys => Assert.NotEmpty(keys.Trim()));
        await Store.TeardownAsync(project);
        Assert.All(await Task.WhenAll(cluster.Nodes.Select(n => n.CliAsync("--scan", "--pattern", project + ":*"))), keys => Assert.Empty(keys.Trim()));
    }

    [Fact]
    public async Task ReadAsync_Layout1RowsOnEveryNode_ReadThenRewrittenInLayout2()
    {
        // Rows as release 0.1 wrote them: _ts:{view} in decimal µs and a field per feature (int64 i: 01 then 8 bytes little-endian).
        var project = NewProject();
        var view = new FeatureView { Name = "v", Entities = ["e"], Source = "s", Schema = [new Field { Name = "x", Dtype = DataType.Int64 }] };
        await using var raw = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString);
        var db = raw.GetDatabase();
        await db.HashSetAsync(project + ":_views", "v", "x:int64");
        var keys = Enumerable.Range(0, 60).Select(i => new EntityKey(["id"], [(long)i])).ToArray();
        await Task.WhenAll(keys.Select((k, i) => db.HashSetAsync(
            project + ":" + k.Canonical,
            [new("_ts:v", "1000000"), new("v:x", (byte[])[0x01, (byte)i, 0, 0, 0, 0, 0, 0, 0])])));
        await Store.UpdateAsync(project, [view], []);

        var before = await Store.ReadAsync(project, [new OnlineViewRead(view, view.Schema)], keys);
        await Store.WriteBatchAsync(project, view, keys.Select((k, i) => new OnlineRow(k, DateTimeOffset.UnixEpoch.AddSeconds(2), [(long)i + 100])).ToArray());
        var after = await Store.ReadAsync(project, [new OnlineViewRead(view, view.Schema)], keys);

        Assert.Equal(Enumerable.Range(0, 60).Select(i => (object?)(long)i), before[0].Select(r => r!.Values[0]));
        Assert.All(before[0], r => Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1), r!.EventTimestamp));
        Assert.Equal(Enumerable.Range(100, 60).Select(i => (object?)(long)i), after[0].Select(r => r!.Values[0]));
        Assert.All(await Task.WhenAll(keys.Select(k => db.HashExistsAsync(project + ":" + k.Canonical, "_ts:v"))), Assert.False);
    }
}

/// <summary>A Redis store pointed at a port nobody listens on, as after redis-server stopped.</summary>
internal static class Unreachable
{
    public static Task<(OnlineStore Store, string Name)> CreateAsync()
    {
        var endpoint = "127.0.0.1:" + LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult<(OnlineStore, string)>((new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = endpoint }), endpoint));
    }
}
