using System.Net;
using System.Net.Sockets;
using System.Text;
using Granary.Server.Hosting;

namespace Granary.Server.Tests.Faults;

/// <summary>
/// Many clients that open a connection, send half a request and wait, against a server with few file descriptors
/// (<c>ulimit -n 512</c>). In 0.1 they pinned every descriptor, /health stopped answering and the process died of
/// memory; now idle connections are shed at a cap that fits the limit, and the server keeps answering.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class IdleConnectionTests : IAsyncLifetime
{
    private const int DescriptorLimit = 512;
    private readonly TestRepo _repo = new();
    private ServeProcess? _server;

    public async Task InitializeAsync()
    {
        await _repo.ApplyAsync(materialize: false);
        _server = await ServeProcess.StartAsync(_repo.Path, descriptorLimit: DescriptorLimit);
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _repo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task IdleConnectionsBeyondTheDescriptorLimit_ServerStaysUpAndHealthAnswers()
    {
        var server = _server!;
        // More connections than the server has descriptors, as many as this process can hold besides its own files.
        var count = (int)Math.Min(DescriptorLimit + 200, (ConnectionShedder.OpenFileLimit() ?? 1024) - (ConnectionShedder.OpenDescriptors() ?? 0) - 100);
        Assert.True(count > DescriptorLimit, $"this test process may open only {count} more sockets; raise its ulimit -n");
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, server.Port);
                await socket.SendAsync(Encoding.ASCII.GetBytes("POST /get-online-features HTTP/1.1\r\nHost: x\r\n"));
            }

            // Each check comes after all the idle connections: it must shed one of them to be answered.
            for (var check = 0; check < 5; check++)
            {
                await Waiting.UntilAsync(async () => await Waiting.StatusAsync(server.RestAddress, "/health") == 200, TimeSpan.FromSeconds(30), "/health answers 200");
            }

            Assert.True(server.IsRunning, $"the server died: {server.Output}");
            var rss = ResidentMegabytes(server.ProcessId);
            Assert.True(rss < 1024, $"the server holds {rss} MB");
            Assert.DoesNotContain("Too many open files", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
        }
    }

    private static long ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
