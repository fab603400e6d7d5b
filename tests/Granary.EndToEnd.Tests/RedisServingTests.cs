using Granary.Online;
using Granary.Redis;

namespace Granary.EndToEnd.Tests;

public sealed class RedisServingTests(RedisServerFixture redis) : ServingAgreesWithTrainingTests, IClassFixture<RedisServerFixture>
{
    protected override Task<OnlineStore> CreateOnlineStoreAsync(string repoPath) =>
        Task.FromResult<OnlineStore>(new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString }));
}
