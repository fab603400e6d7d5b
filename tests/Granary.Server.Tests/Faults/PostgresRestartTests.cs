using System.Diagnostics;
using Granary.Testing;

namespace Granary.Server.Tests.Faults;

/// <summary>
/// The PostgreSQL online store crashes under load (<c>pg_ctl stop -m immediate</c>) and starts again on its data:
/// while it is down reads are 503s within the read timeout, and afterwards the server serves the same values again
/// without a restart.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PostgresRestartTests : IAsyncLifetime
{
    private const string Read = """{"feature_service": "activity", "entities": {"driver_id": [1001, 1002]}}""";
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(1000) + TimeSpan.FromSeconds(2);
    private readonly TempPostgres _postgres = new();
    private TestRepo? _repo;
    private ServeProcess? _server;

    public async Task InitializeAsync()
    {
        await _postgres.StartAsync();
        var database = await _postgres.CreateDatabaseAsync("faults");
        _repo = new TestRepo(
            onlineStore: $"{{ type: postgres, connection_string: \"{database};Timeout=2;Command Timeout=2\" }}",
            featureServer: "feature_server:\n  read_timeout_ms: 1000\n  store_break_ms: 500\n");
        foreach (var args in new[] { new[] { "apply" }, ["materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"] })
        {
            var step = await ServeProcess.RunCliAsync(_repo.Path, args);
            Assert.True(step.ExitCode == 0, step.Stderr);
        }

        _server = await ServeProcess.StartAsync(_repo.Path);
    }

    public async Task DisposeAsync()
    {
        _server?.Dispose();
        _repo?.Dispose();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task PostgresRestarted_UnderLoad_503sWithinTheTimeoutThenTheSameValues()
    {
        var server = _server!;
        string before;
        await using (var load = new ReadLoad(server.RestAddress, Read))
        {
            await Waiting.UntilAsync(() => Task.FromResult(load.In("up").Count >= 20), TimeSpan.FromSeconds(60), "20 reads while PostgreSQL is up");
            before = load.In("up")[0].Body;

            load.Phase = "down";
            var stoppedAt = Stopwatch.GetTimestamp();
            await _postgres.StopAsync();
            await Waiting.UntilAsync(() => Task.FromResult(load.In("down").Count(a => a.Status == 503) >= 50), TimeSpan.FromSeconds(60), "50 503s while PostgreSQL is down");

            load.Phase = "recovering";
            await _postgres.RestartAsync();
            await Waiting.UntilAsync(async () => await Waiting.StatusAsync(server.RestAddress, "/health") == 200, TimeSpan.FromSeconds(60), "/health is 200 again");
            load.Phase = "recovered";
            await Waiting.UntilAsync(() => Task.FromResult(load.In("recovered").Count(a => a.Status == 200) >= 20), TimeSpan.FromSeconds(60), "20 reads served again");

            // Requests in flight when PostgreSQL went down may be answered either way: only those wholly before it are judged.
            Assert.All(load.In("up", stoppedAt), a => Assert.Equal(200, a.Status));
            Assert.All(load.Answers, a => Assert.True(a.Status is 200 or 503, $"{a.Phase}: {a.Status} {a.Body}"));
            Assert.All(load.Answers, a => Assert.True(a.Latency < Limit, $"{a.Phase}: {a.Latency.TotalMilliseconds:0} ms, past the read timeout"));

            // The rows survived the crash: the same answer as before it.
            Assert.All(load.In("recovered").Where(a => a.Status == 200), a => Assert.Equal(before, a.Body));
        }

        Assert.True(server.IsRunning, "the server stopped");
    }
}
