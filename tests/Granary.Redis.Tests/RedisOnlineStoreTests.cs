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
