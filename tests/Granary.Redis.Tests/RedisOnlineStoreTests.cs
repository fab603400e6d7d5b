using Granary.Conformance;
using Granary.Online;

namespace Granary.Redis.Tests;

public sealed class RedisStandaloneOnlineStoreTests(RedisServerFixture redis) : OnlineStoreTests, IClassFixture<RedisServerFixture>
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString }));
}

public sealed class RedisClusterOnlineStoreTests(RedisClusterFixture cluster) : OnlineStoreTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = cluster.ConnectionString }));
}
