using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Granary.Server.Tests;

/// <summary>The real <c>granary serve</c> executable on free loopback ports, killed on dispose.</summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process, int port, int grpcPort)
    {
        _process = process;
        Port = port;
        GrpcPort = grpcPort;
    }

    public int Port { get; }

    public int GrpcPort { get; }

    public Uri RestAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort.ToString(CultureInfo.InvariantCulture)}");

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

    /// <summary>Starts the server on a repo and waits until /health answers 200.</summary>
    /// <param name="repo">The repo to serve.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="host">The --host, when not the default.</param>
    /// <param name="descriptorLimit">When set, the server runs under <c>ulimit -n</c> of this many open files.</param>
    public static async Task<ServeProcess> StartAsync(
        string repo, IReadOnlyDictionary<string, string>? environment = null, string? host = null, int? descriptorLimit = null)
    {
        var port = LoopbackPort.Free();
        var grpcPort = LoopbackPort.Free();
        var start = new ProcessStartInfo(descriptorLimit is null ? Executable() : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (descriptorLimit is { } limit)
        {
            // exec keeps the process id: the server is the child, with the lowered limit.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"ulimit -n {limit.ToString(CultureInfo.InvariantCulture)} && exec \"$0\" \"$@\"");
            start.ArgumentList.Add(Executable());
        }
        foreach (var argument in new[] { "serve", "--repo", repo, "--port", port.ToString(CultureInfo.InvariantCulture), "--grpc-port", grpcPort.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (host is not null)
        {
            start.ArgumentList.Add("--host");
            start.ArgumentList.Add(host);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var server = new ServeProcess(Process.Start(start)!, port, grpcPort);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await server.WaitForHealthAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the server process still runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Runs the <c>granary</c> executable on <paramref name="repo"/> to its end: exit code, standard output and error.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(string repo, params string[] args)
    {
        var start = new ProcessStartInfo(Executable()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = repo };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitForHealthAsync()
    {
        using var client = new HttpClient { BaseAddress = RestAddress };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"granary serve exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"granary serve did not become healthy within 30 s: {Output}");
            }

            await Task.Delay(50);
        }
    }

    private static string Executable()
    {
        // artifacts/bin/Granary.Server.Tests/<pivot>/ -> artifacts/bin/Granary.Cli/<pivot>/granary
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, "Granary.Cli", Path.GetFileName(here), "granary");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the granary executable was not built at {path}");
    }
}
