using System.Net;

namespace Granary.Server.Tests.Faults;

/// <summary>
/// The SQLite online store's file deleted while <c>granary serve</c> has it open: health turns 503, writes are
/// refused rather than acknowledged into the deleted file, and once a file is back the server serves it.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class SqliteFileRemovedTests : IAsyncLifetime
{
    private const string Write = """
        {"feature_view_name": "driver_hourly_stats", "df": {"driver_id": [1003], "event_timestamp": ["2024-01-01T12:00:00Z"],
         "conv_rate": [0.25], "trips": [3], "tier": ["bronze"]}}
        """;

    private const string Read = """{"features": ["driver_hourly_stats:trips"], "entities": {"driver_id": [1001]}}""";

    private readonly TestRepo _repo = new(featureServer: "feature_server:\n  store_break_ms: 500\n");
    private ServeProcess? _server;

    public async Task InitializeAsync()
    {
        await _repo.ApplyAsync();
        _server = await ServeProcess.StartAsync(_repo.Path);
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _repo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OnlineFileDeleted_WhileServing_HealthFailsAndWritesAreRefusedUntilAFileIsBack()
    {
        using var client = new HttpClient { BaseAddress = _server!.RestAddress };
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(client, "/get-online-features", Read)).Status);

        File.Delete(Path.Combine(_repo.Path, "data", "online.db"));
        var health = await Http.GetAsync(client, "/health");
        var write = await Http.PostAsync(client, "/write-to-online-store", Write);
        var read = await Http.PostAsync(client, "/get-online-features", Read);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Contains("was deleted while open", health.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.Status);
        Assert.False(File.Exists(Path.Combine(_repo.Path, "data", "online.db")), "the server created an empty store in place of the deleted one");

        // Applying again (no changes) prepares a new file, and materializing fills it: the server takes it up by itself.
        var apply = await ServeProcess.RunCliAsync(_repo.Path, "apply");
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        var materialize = await ServeProcess.RunCliAsync(_repo.Path, "materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
        Assert.True(materialize.ExitCode == 0, materialize.Stderr);
        await Waiting.UntilAsync(async () => await Waiting.StatusAsync(_server.RestAddress, "/health") == 200, TimeSpan.FromSeconds(30), "/health is 200 on the new file");
        var after = await Http.PostAsync(client, "/get-online-features", Read);

        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Contains("\"values\":[11]", after.Body, StringComparison.Ordinal); // 1001's 11:00 row, materialized again
    }
}
