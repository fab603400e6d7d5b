namespace Granary.Redis.Tests;

/// <summary>A standalone redis-server for a test class.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisProcess? _server;

    public RedisProcess Server => _server ?? throw new InvalidOperationException("not started");

    public string ConnectionString => Server.Endpoint;

    public async Task InitializeAsync() => _server = await RedisProcess.StartAsync();

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
