using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Granary.FeatureLogs;
using Granary.Offline;

namespace Granary.Cli.Tests;

/// <summary>
/// <c>granary serve</c> as deployed: a REST read of a logged feature service is queued, and stopping the server
/// with SIGTERM or SIGINT writes it, with the columns the logging contract names.
/// </summary>
public sealed class ServeLoggingCliTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-cli-serve-log-" + Guid.NewGuid().ToString("N"));

    public ServeLoggingCliTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), "project: cli_serve_log\n");
        File.WriteAllText(Path.Combine(_repo, "features.yaml"), """
            kind: entity
            name: driver
            join_keys: [driver_id]
            ---
            kind: file_source
            name: stats
            path: data/stats.csv
            ---
            kind: feature_view
            name: hourly
            entities: [driver]
            source: stats
            schema:
              - { name: conv_rate, dtype: float64 }
            ---
            kind: feature_service
            name: ranking
            features: [hourly]
            logging: { sample_rate: 1.0 }
            """);
        File.WriteAllText(Path.Combine(_repo, "data", "stats.csv"), "driver_id,event_timestamp,conv_rate\n1001,2021-04-12T08:00:00Z,0.5\n");
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Serve_StoppedBySignal_WritesTheQueuedReadWithTheLoggingColumns(string signal)
    {
        Assert.Equal(0, (await GranaryProcess.RunAsync(_repo, "apply")).ExitCode);
        Assert.Equal(0, (await GranaryProcess.RunAsync(_repo, "materialize", "2021-04-12T00:00:00Z", "2021-04-12T09:00:00Z")).ExitCode);
        var port = FreePort();
        // Through env, which execs the server in place with SIGINT at its default: a test run started in the
        // background by a non-interactive shell inherits SIGINT ignored (POSIX shells ignore it for background
        // jobs), and so would the server, which then rightly ignores it as well.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = _repo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--default-signal=INT", GranaryProcess.Executable, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--grpc-port", FreePort().ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var server = Process.Start(start)!;
        var output = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/get-online-features")
            {
                Content = new StringContent("""{"feature_service": "ranking", "entities": {"driver_id": [1001, 1002]}}"""),
            };
            request.Headers.Add("X-Request-Id", "signal-" + signal);
            using var response = await SendWhenUpAsync(client, request, server, output);
            response.EnsureSuccessStatusCode();
            Assert.Empty(FeatureLogColumns.Files(Path.Combine(_repo, "data", "feature_logs"), null, null));

            using (var kill = Process.Start("kill", ["-" + signal, server.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await server.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                string said;
                lock (output)
                {
                    said = output.ToString();
                }

                Assert.Fail($"granary serve did not exit within a minute of SIG{signal}; it printed:\n{said}");
            }
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }

        // The default path, data/feature_logs, partitioned by the read's date.
        var file = Assert.Single(FeatureLogColumns.Files(Path.Combine(_repo, "data", "feature_logs"), null, null));
        Assert.Matches(@"date=\d{4}-\d{2}-\d{2}", Path.GetFileName(Path.GetDirectoryName(file)));
        await using var reader = await EntityFileReader.OpenAsync(file);
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        IReadOnlyList<string> columns = [];
        await foreach (var batch in reader.ReadAsync())
        {
            columns = batch.Schema.FieldsList.Select(f => f.Name).ToArray();
            rows.AddRange(Conformance.ResultRows.ToRows(batch));
        }

        // One row per entity row: the join key, per feature its value, event time and status, then the read's time, request id and registry version.
        Assert.Equal(
            ["__log_timestamp", "__registry_version", "__request_id", "driver_id", "hourly__conv_rate", "hourly__conv_rate__status", "hourly__conv_rate__timestamp"],
            columns.Order(StringComparer.Ordinal));
        Assert.Equal(2, rows.Count);
        Assert.Equal((1001L, 0.5, 1, "signal-" + signal, 1L), ((long)rows[0]["driver_id"]!, (double)rows[0]["hourly__conv_rate"]!, (int)rows[0]["hourly__conv_rate__status"]!, (string)rows[0]["__request_id"]!, Convert.ToInt64(rows[0]["__registry_version"], CultureInfo.InvariantCulture)));
        Assert.Equal((1002L, null, 3), ((long)rows[1]["driver_id"]!, rows[1]["hourly__conv_rate"], (int)rows[1]["hourly__conv_rate__status"]!)); // PRESENT, NOT_FOUND
    }

    private static async Task<HttpResponseMessage> SendWhenUpAsync(HttpClient client, HttpRequestMessage request, Process server, StringBuilder output)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(server.HasExited, $"granary serve exited early: {output}");
            try
            {
                using var health = await client.GetAsync("/health");
                return await client.SendAsync(request);
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
