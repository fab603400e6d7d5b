namespace Granary.Testing;

/// <summary>A standalone redis-server for a test class.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisProcess? _server;

    /// <summary>The running server.</summary>
    public RedisProcess Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The server's StackExchange.Redis configuration string.</summary>
    public string ConnectionString => Server.Endpoint;

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await RedisProcess.StartAsync();

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
