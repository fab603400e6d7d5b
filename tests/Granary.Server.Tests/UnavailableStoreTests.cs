using System.Net;

namespace Granary.Server.Tests;

/// <summary>A Redis online store that goes away while serving: 503 within the read timeout, never a hang.</summary>
public sealed class UnavailableStoreTests : IAsyncLifetime
{
    private RedisProcess? _redis;
    private TestRepo? _repo;
    private ServerFactory? _factory;

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _repo = new TestRepo(onlineStore: $"{{ type: redis, connection_string: \"{_redis.Endpoint}\" }}");
        await _repo.ApplyAsync();
        // Room for a cold first read on a loaded machine; a stopped store still answers 503 well within it.
        _factory = new ServerFactory(_repo, o => o.ReadTimeout = TimeSpan.FromSeconds(3));
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _repo?.Dispose();
        _redis?.Dispose();
    }

    [Fact]
    public async Task StoppedRedis_ReadAndHealth_Return503AndServerStaysUp()
    {
        using var client = _factory!.CreateClient();

        // No timing assertion: a read that hung on the stopped store would end in the client's timeout, an exception.
        client.Timeout = TimeSpan.FromSeconds(60);
        const string read = """{"feature_service": "activity", "entities": {"driver_id": [1001]}}""";
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(client, "/get-online-features", read)).Status);

        _redis!.Dispose();
        _redis = null;
        var answer = await Http.PostAsync(client, "/get-online-features", read);
        var health = await Http.GetAsync(client, "/health");
        var badRequest = await Http.PostAsync(client, "/get-online-features", """{"feature_service": "nope", "entities": {"driver_id": [1001]}}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Equal("unavailable", answer.Json.GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.StartsWith("online store: ", health.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, badRequest.Status); // the registry is in memory: user errors are still told apart
    }
}
