using Granary.Online;
using Granary.Redis;

namespace Granary.EndToEnd.Tests;

public sealed class RedisServingTests(RedisServerFixture redis) : ServingAgreesWithTrainingTests, IClassFixture<RedisServerFixture>
{
    protected override OnlineStore CreateOnlineStore(string repoPath) =>
        new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString });
}
