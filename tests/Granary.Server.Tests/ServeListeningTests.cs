namespace Granary.Server.Tests;

/// <summary>
/// The real executable's listening: a loud warning beyond loopback without API keys, and REST
/// answered on the REST port only.
/// </summary>
public sealed class ServeListeningTests : IAsyncLifetime
{
    private readonly TestRepo _repo = new();

    public Task InitializeAsync() => _repo.ApplyAsync();

    public Task DisposeAsync()
    {
        _repo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Serve_AllInterfacesWithoutApiKeys_PrintsWarning()
    {
        using var server = await ServeProcess.StartAsync(_repo.Path, host: "0.0.0.0");

        Assert.Contains("WARNING: serving on 0.0.0.0, which is not a loopback address, WITHOUT AUTHENTICATION.", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Loopback_PrintsNoWarning()
    {
        using var server = await ServeProcess.StartAsync(_repo.Path);

        Assert.DoesNotContain("WARNING", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RestRequestOnGrpcPort_IsNotRouted()
    {
        using var server = await ServeProcess.StartAsync(_repo.Path);
        using var http2 = new HttpClient
        {
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var onGrpcPort = await http2.GetAsync(new Uri(server.GrpcAddress, "/health"));
        using var http1 = new HttpClient();
        using var rest = await http1.GetAsync(new Uri(server.RestAddress, "/health"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, onGrpcPort.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, rest.StatusCode);
    }
}
