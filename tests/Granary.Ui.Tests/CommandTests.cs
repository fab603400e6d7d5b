using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Granary.Ui.Tests;

/// <summary><c>granary ui</c> and <c>granary serve</c> as a user runs them: the real executable on free loopback ports.</summary>
public sealed class CommandTests : IAsyncLifetime
{
    private UiRepo _repo = default!;

    public async Task InitializeAsync() => _repo = await UiRepo.EveryKindAsync();

    public Task DisposeAsync()
    {
        _repo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Ui_OnAFreePort_ServesTheOverviewAndRedirectsTheRoot()
    {
        var port = FreePort();
        using var process = Start("ui", "--repo", _repo.Path, "--port", port.ToString(CultureInfo.InvariantCulture));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var overview = await WaitForAsync(client, "/ui/", process);
        using var root = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains(_repo.Project, await overview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/ui/", root.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Ui_AnyAddressWithoutKeys_RefusesToStart()
    {
        using var process = Start("ui", "--repo", _repo.Path, "--host", "0.0.0.0", "--port", FreePort().ToString(CultureInfo.InvariantCulture));

        Assert.True(process.Process.WaitForExit(60_000));
        process.Process.WaitForExit(); // drains the redirected output
        Assert.Equal(1, process.Process.ExitCode);
        Assert.Contains("is not a loopback address and feature_server.api_keys is empty", process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, HttpStatusCode.OK)]
    [InlineData(true, HttpStatusCode.NotFound)]
    public async Task Serve_RestPort_ServesTheUiUnlessNoUi(bool noUi, HttpStatusCode expected)
    {
        var port = FreePort();
        string[] arguments = ["serve", "--repo", _repo.Path, "--port", port.ToString(CultureInfo.InvariantCulture), "--grpc-port", FreePort().ToString(CultureInfo.InvariantCulture)];
        using var process = Start(noUi ? [.. arguments, "--no-ui"] : arguments);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var health = await WaitForAsync(client, "/health", process);

        using var response = await client.GetAsync("/ui/feature-views/driver_hourly_stats");

        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> WaitForAsync(HttpClient client, string path, RunningProcess process)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.Process.HasExited, $"granary exited early: {process.Output}");
            try
            {
                return await client.GetAsync(path);
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

    private static RunningProcess Start(params string[] arguments)
    {
        // artifacts/bin/Granary.Ui.Tests/<pivot>/ -> artifacts/bin/Granary.Cli/<pivot>/granary
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var executable = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, "Granary.Cli", Path.GetFileName(here), "granary");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new RunningProcess(Process.Start(start)!);
    }

    /// <summary>A started process whose output is collected; killed on dispose.</summary>
    private sealed class RunningProcess : IDisposable
    {
        private readonly StringBuilder _output = new();

        public RunningProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }

            Process.Dispose();
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
