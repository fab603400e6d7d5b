namespace Granary.Server.Tests;

/// <summary>
/// A test class with its own applied temp repo and an in-process server over it (SQLite online,
/// DuckDB offline), rebuilt for each test.
/// </summary>
public abstract class InProcessServerTests : IAsyncLifetime
{
    private ServerFactory? _factory;
    private HttpClient? _client;

    protected TestRepo Repo { get; } = new();

    protected ServerFactory Factory => _factory ?? throw new InvalidOperationException("the server starts in InitializeAsync");

    protected HttpClient Client => _client ?? throw new InvalidOperationException("the server starts in InitializeAsync");

    /// <summary>Server options of this test class; the defaults unless overridden.</summary>
    protected virtual void Configure(GranaryServerOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        await Repo.ApplyAsync();
        _factory = new ServerFactory(Repo, Configure);
        _client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Repo.Dispose();
    }
}
