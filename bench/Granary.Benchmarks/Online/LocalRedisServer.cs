using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Granary.Benchmarks.Online;

/// <summary>A throwaway redis-server on 127.0.0.1, a free port and a temp folder.</summary>
internal sealed class LocalRedisServer : IDisposable
{
    private const string ServerPath = "/usr/bin/redis-server";
    private readonly Process _process;
    private readonly string _folder;

    private LocalRedisServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Endpoint = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
    }

    public string Endpoint { get; }

    public static async Task<LocalRedisServer> StartAsync()
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException("redis-server not found: apt-get install -y redis-server");
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var folder = Directory.CreateTempSubdirectory("granary-bench-redis-").FullName;
        var start = new ProcessStartInfo(ServerPath) { UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty,
            "--appendonly", "no", "--dir", folder, "--logfile", Path.Combine(folder, "redis.log"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var server = new LocalRedisServer(Process.Start(start)!, folder, port);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (attempt < 500)
            {
                await Task.Delay(20);
            }
        }
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
