using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Granary.Testing;

/// <summary>
/// One real redis-server on 127.0.0.1, a free port and a temp folder, killed and deleted on dispose.
/// The tests, the feature server tests and the benchmarks all start Redis through it.
/// </summary>
public sealed class RedisProcess : IDisposable
{
    private static readonly Lazy<string> ServerPath = new(() => Executable.Find("redis-server", "redis-server"));
    private static readonly Lazy<string> CliPath = new(() => Executable.Find("redis-cli", "redis-tools"));

    private readonly Process _process;

    private RedisProcess(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    /// <summary>The port the server listens on at 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's working folder (its log is <c>redis.log</c> there).</summary>
    public string Folder { get; }

    /// <summary><c>127.0.0.1:port</c>, a StackExchange.Redis configuration string for this server.</summary>
    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts a server and waits until it answers PING; <paramref name="extra"/> adds arguments.</summary>
    /// <exception cref="InvalidOperationException">redis-server is not installed (the message says what to install), or it did not start.</exception>
    public static Task<RedisProcess> StartAsync(params string[] extra) => StartOnPortAsync(LoopbackPort.Free(), extra);

    /// <summary>Starts a server on <paramref name="port"/>, for example again where a stopped one listened.</summary>
    /// <exception cref="InvalidOperationException">redis-server is not installed (the message says what to install), or it did not start.</exception>
    public static async Task<RedisProcess> StartOnPortAsync(int port, params string[] extra)
    {
        var serverPath = ServerPath.Value;
        var folder = Directory.CreateTempSubdirectory("granary-redis-").FullName;
        var start = new ProcessStartInfo(serverPath) { UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty,
            "--appendonly", "no", "--dir", folder, "--logfile", Path.Combine(folder, "redis.log"),
        }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        var server = new RedisProcess(process, port, folder);
        try
        {
            await server.WaitForPingAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Runs redis-cli against this server and returns its output.</summary>
    public Task<string> CliAsync(params string[] arguments) => RunCliAsync(["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. arguments]);

    /// <summary>Runs redis-cli with <paramref name="arguments"/> and returns its output.</summary>
    /// <exception cref="InvalidOperationException">redis-cli is not installed; the message says what to install.</exception>
    public static async Task<string> RunCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(CliPath.Value) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return await output + await error;
    }

    /// <summary>Kills the server and deletes its folder.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
    }

    private async Task WaitForPingAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                var log = Path.Combine(Folder, "redis.log");
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log")}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var reply = new byte[7];
                var read = await stream.ReadAsync(reply);
                if (Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within 20 s");
            }

            await Task.Delay(20);
        }
    }
}
