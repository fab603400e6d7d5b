using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;

namespace Granary.Reports.Tests;

/// <summary>
/// The UI's report pages filled by the reports, through the real <c>granary ui</c> on a repo whose service
/// logged reads and has a saved dataset: each page in Chromium without console errors, with its report and
/// charts of non-zero size; screenshots kept under the test output's <c>screenshots</c> folder.
/// </summary>
public sealed class UiReportPagesTests : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private static readonly string Executable = FindExecutable();
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-ui-reports-").FullName;
    private Granary.Ui.Tests.Chromium _chromium = default!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        await File.WriteAllTextAsync(Path.Combine(_repo, "granary.yaml"), "project: ui_reports\n");
        await File.WriteAllTextAsync(Path.Combine(_repo, "features.yaml"), """
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
              - { name: city, dtype: string }
            ---
            kind: feature_service
            name: ranking
            features: [hourly]
            logging: { sample_rate: 1.0 }
            """);
        await File.WriteAllTextAsync(Path.Combine(_repo, "data", "stats.csv"),
            "driver_id,event_timestamp,conv_rate,city\n1001,2021-04-12T08:00:00Z,0.5,paris\n1002,2021-04-12T08:00:00Z,0.25,rome\n1003,2021-04-12T08:00:00Z,0.75,rome\n");
        await File.WriteAllTextAsync(Path.Combine(_repo, "orders.csv"), "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1002,2021-04-12T10:00:00Z\n1003,2021-04-12T10:00:00Z\n");
        await RunAsync("apply");
        await RunAsync("materialize", "2021-04-12T00:00:00Z", "2021-04-12T09:00:00Z");
        await RunAsync("dataset", "create", "train_v1", "--entities", Path.Combine(_repo, "orders.csv"), "--feature-service", "ranking");
        await RunAsync("get-online-features", "--feature-service", "ranking", "-e", "driver_id=1001", "-e", "driver_id=1002");
        _chromium = await Granary.Ui.Tests.Chromium.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        Directory.Delete(_repo, recursive: true);
    }

    [Fact]
    public async Task ReportPages_LoggedServiceAndDataset_ShowTheReportsWithoutConsoleErrors()
    {
        var port = FreePort();
        using var ui = Process.Start(Start("ui", "--repo", _repo, "--port", port.ToString(CultureInfo.InvariantCulture)))!;
        var output = new StringBuilder();
        ui.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        ui.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        ui.BeginOutputReadLine();
        ui.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForAsync(client, ui, output);
            var context = await _chromium.NewContextAsync();
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };
            page.PageError += (_, error) => errors.Add(error);
            var pages = new (string Path, string Expected, int Charts)[]
            {
                // Both served values match training data: 2 rows, 0% for each feature, one outcome chart each.
                ("/ui/reports/skew", "2 logged rows", 2),
                // conv_rate 0.25, 0.5, 0.75 (a histogram); city rome 2, paris 1 (top values).
                ("/ui/reports/statistics", "source stats, all rows", 2),
                // train_v1 (three drivers) against the two served.
                ("/ui/reports/drift", "Reference: dataset train_v1.", 2),
                ("/ui/saved-datasets", "train_v1", 2),
            };
            foreach (var (path, expected, charts) in pages)
            {
                errors.Clear();
                var response = await page.GotoAsync($"http://127.0.0.1:{port}{path}");
                var text = await page.InnerTextAsync("main");
                var sizes = await page.EvalOnSelectorAllAsync<double[][]>("svg.chart", "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "ui" + path.Replace('/', '-') + ".png"), FullPage = true });

                Assert.Equal(200, response?.Status);
                Assert.Empty(errors);
                Assert.Contains(expected, text);
                Assert.DoesNotContain("Not computed yet", text);
                Assert.Equal(charts, sizes.Length);
                Assert.All(sizes, size => Assert.True(size[0] > 100 && size[1] > 100, $"{path}: a chart is {size[0]} x {size[1]}"));
            }
        }
        finally
        {
            ui.Kill(entireProcessTree: true);
            await ui.WaitForExitAsync();
        }
    }

    private async Task RunAsync(params string[] arguments)
    {
        using var process = Process.Start(Start([.. arguments, "--repo", _repo]))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"granary {string.Join(' ', arguments)}: {await stderr}{await stdout}");
    }

    private static ProcessStartInfo Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    private static async Task WaitForAsync(HttpClient client, Process process, StringBuilder output)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"granary ui exited early: {output}");
            try
            {
                using var response = await client.GetAsync("/ui/");
                return;
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

    private static string FindExecutable()
    {
        // artifacts/bin/Granary.Reports.Tests/<pivot>/ -> artifacts/bin/Granary.Cli/<pivot>/granary
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, "Granary.Cli", Path.GetFileName(here), "granary");
    }
}
