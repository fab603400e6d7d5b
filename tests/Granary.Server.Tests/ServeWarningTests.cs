namespace Granary.Server.Tests;

/// <summary>The real executable warns loudly when it serves beyond loopback without API keys.</summary>
public sealed class ServeWarningTests : IAsyncLifetime
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
}
