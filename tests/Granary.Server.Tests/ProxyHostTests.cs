using System.Text;

namespace Granary.Server.Tests;

/// <summary>
/// A reverse proxy forwards its public host name in <c>Host</c>; REST must answer whatever that header says (0.1 told
/// REST from gRPC by the Host header's port and answered 404 to every proxied request), and stay off the gRPC port.
/// </summary>
public sealed class ProxyHostTests : IAsyncLifetime
{
    private readonly TestRepo _repo = new();
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

    [Theory]
    [InlineData("features.example.com")]
    [InlineData("features.example.com:443")]
    [InlineData("10.0.0.7:8080")]
    public async Task Rest_HostHeaderOfAProxy_IsServed(string host)
    {
        var answer = await RawHttp.SendAsync(_server!.RestAddress, Encoding.ASCII.GetBytes(
            $"GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("ok", answer.Json.GetProperty("status").GetString());
    }
}
