using System.Diagnostics;
using Granary.Testing;

namespace Granary.Server.Tests.Faults;

/// <summary>
/// Redis killed under load and started again on its port: while it is down every read is a 503, most within
/// milliseconds once the circuit is open, none held past the read timeout; when it is back the server serves
/// again by itself, without a restart.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RedisOutageTests : IAsyncLifetime
{
    private const string Read = """{"feature_service": "activity", "entities": {"driver_id": [1001, 1002]}}""";
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(1000);

    /// <summary>What a request may take beyond the server's own deadline: HTTP and a loaded machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private RedisProcess? _redis;
    private TestRepo? _repo;
    private ServeProcess? _server;

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _repo = new TestRepo(
            onlineStore: $"{{ type: redis, connection_string: \"{_redis.Endpoint}\" }}",
            featureServer: "feature_server:\n  read_timeout_ms: 1000\n  store_break_ms: 1000\n");
        await _repo.ApplyAsync();
        _server = await ServeProcess.StartAsync(_repo.Path);
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _repo?.Dispose();
        _redis?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RedisKilledAndRestarted_UnderLoad_FailsFastThenRecoversWithoutRestart()
    {
        var server = _server!;
        var port = _redis!.Port;
        await using (var load = new ReadLoad(server.RestAddress, Read))
        {
            await Waiting.UntilAsync(() => Task.FromResult(load.In("up").Count >= 20), TimeSpan.FromSeconds(60), "20 reads while Redis is up");

            load.Phase = "failing";
            var killedAt = Stopwatch.GetTimestamp();
            _redis.Dispose();
            _redis = null;
            await Waiting.UntilAsync(
                () => Task.FromResult(load.In("failing").Any(a => a.Body.Contains("calls to it are refused", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(60), "the circuit opens");

            load.Phase = "down";
            await Waiting.UntilAsync(() => Task.FromResult(load.In("down").Count >= 200), TimeSpan.FromSeconds(60), "200 reads while Redis is down");

            load.Phase = "recovering";
            var restartedAt = Stopwatch.GetTimestamp();
            _redis = await RedisProcess.StartOnPortAsync(port);
            await Waiting.UntilAsync(async () => await Waiting.StatusAsync(server.RestAddress, "/health") == 200, TimeSpan.FromSeconds(60), "/health is 200 again");
            load.Phase = "recovered";
            await Waiting.UntilAsync(() => Task.FromResult(load.In("recovered").Count(a => a.Status == 200) >= 20), TimeSpan.FromSeconds(60), "20 reads served again");

            // Requests in flight when Redis went or came back may be answered either way: only those wholly inside a phase are judged.
            var up = load.In("up", killedAt);
            var down = load.In("down", restartedAt);
            Assert.All(up, a => Assert.Equal(200, a.Status));
            Assert.All(down, a => Assert.Equal(503, a.Status));
            Assert.All(load.Answers, a => Assert.True(a.Status is 200 or 503, $"{a.Phase}: {a.Status} {a.Body}"));
            Assert.All(load.Answers, a => Assert.True(a.Latency < ReadTimeout + Slack, $"{a.Phase}: {a.Latency.TotalMilliseconds:0} ms, past the read timeout"));

            // While the circuit is open the store is not called: most 503s say so (a probe of the store now and then may not).
            var refused = down.Count(a => a.Body.Contains("calls to it are refused", StringComparison.Ordinal));
            Assert.True(refused > down.Count / 2, $"{refused} of {down.Count} reads while Redis was down were refused by the open circuit");
        }

        Assert.True(server.IsRunning, "the server stopped");
    }
}
