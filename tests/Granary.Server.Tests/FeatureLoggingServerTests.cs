using Granary.FeatureLogs;
using Granary.Offline;
using Granary.Serving.V1;
using Grpc.Core;

namespace Granary.Server.Tests;

/// <summary>
/// Reads over REST and gRPC of a feature service with <c>logging</c>: each is logged with the request's
/// id, the counters show on /metrics, and stopping the host writes what is still queued.
/// </summary>
public sealed class FeatureLoggingServerTests : InProcessServerTests
{
    public FeatureLoggingServerTests()
    {
        Repo.WriteDefinitions(TestRepo.Definitions + "\nlogging: { path: data/served }\n");
    }

    private string LogFolder => Path.Combine(Repo.Path, "data", "served");

    private async Task<List<(long Driver, string RequestId, object? ConvRate, int Status)>> LoggedAsync()
    {
        var rows = new List<(long, string, object?, int)>();
        foreach (var file in FeatureLogColumns.Files(LogFolder, null, null))
        {
            await using var reader = await EntityFileReader.OpenAsync(file);
            await foreach (var batch in reader.ReadAsync())
            {
                rows.AddRange(Conformance.ResultRows.ToRows(batch).Select(r =>
                    ((long)r["driver_id"]!, (string)r["__request_id"]!, r["driver_hourly_stats__conv_rate"], (int)r["driver_hourly_stats__conv_rate__status"]!)));
            }
        }

        return [.. rows.OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.Item1)];
    }

    [Fact]
    public async Task RestAndGrpcReads_LoggedWithTheirRequestIdsAndWrittenWhenTheHostStops()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/get-online-features"))
        {
            request.Content = new StringContent("""{"feature_service": "activity", "entities": {"driver_id": [1001, 1003]}}""");
            request.Headers.Add("X-Request-Id", "rest-1");
            (await Client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        await Factory.GrpcClient().GetOnlineFeaturesAsync(GrpcTests.Request1001(), new Metadata { { "x-request-id", "grpc-1" } });
        await Http.PostAsync(Client, "/get-online-features", """{"features": ["driver_hourly_stats:trips"], "entities": {"driver_id": [1002]}}""");
        Assert.Empty(FeatureLogColumns.Files(LogFolder, null, null));

        await Factory.DisposeAsync();

        // Served at 2024-01-01 11:00 (1001) and not found (1003); reads by feature references are not a service's and are not logged.
        Assert.Equal(
            [(1001L, "grpc-1", (object?)0.6, 1), (1003L, "grpc-1", null, 3), (1001L, "rest-1", 0.6, 1), (1003L, "rest-1", null, 3)], // PRESENT, NOT_FOUND
            await LoggedAsync());
    }
}

/// <summary>
/// The logging counters on /metrics once rows are written. The counters are the process's, shared with the other
/// tests that log: this one reads through a service of its own name.
/// </summary>
public sealed class FeatureLoggingMetricsTests : InProcessServerTests
{
    public FeatureLoggingMetricsTests()
    {
        Repo.WriteDefinitions(TestRepo.Definitions.Replace("name: activity", "name: metered", StringComparison.Ordinal) + "\nlogging: { path: data/served }\n");
        Repo.FeatureLogs = new FeatureLogOptions { FlushRows = 1 };
    }

    [Fact]
    public async Task Metrics_AfterALoggedRead_ShowFlushedRowsOfTheService()
    {
        await Http.PostAsync(Client, "/get-online-features", """{"feature_service": "metered", "entities": {"driver_id": [1001, 1002]}}""");
        // The counter moves once the file is in place, on the writer's thread: polled, as a scraper would see it.
        const string Flushed = "granary_feature_logs_flushed_rows_total{otel_scope_name=\"Granary.FeatureLogs\",feature_service=\"metered\"} 2";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metrics = (await Http.GetAsync(Client, "/metrics")).Body;
        while (!metrics.Contains(Flushed, StringComparison.Ordinal) && !timeout.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
            metrics = (await Http.GetAsync(Client, "/metrics")).Body;
        }

        Assert.Contains(Flushed, metrics, StringComparison.Ordinal);
        Assert.Single(FeatureLogColumns.Files(Path.Combine(Repo.Path, "data", "served"), null, null));
    }
}
