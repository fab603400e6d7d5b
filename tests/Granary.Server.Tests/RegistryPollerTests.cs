using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Granary.Server.Tests;

/// <summary>The host builds the store it serves; the registry poller needs it built to be refreshed by the host.</summary>
public sealed class RegistryPollerTests : IDisposable
{
    private readonly TestRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Start_StoreRefreshedOnRead_FailsSayingWhatTheHostMustSet()
    {
        await _repo.ApplyAsync(materialize: false);
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddGranaryFeatureServer(_ => _repo.OpenStore(RegistryRefreshMode.OnRead)))
            .Build();

        // The store the host built is disposed with the host, asynchronously.
        await using var disposeHost = (IAsyncDisposable)host;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("FeatureStoreOptions.RegistryRefresh = RegistryRefreshMode.ByHost", error.Message, StringComparison.Ordinal);
    }
}
