using Granary.Definitions;
using Granary.Online;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Hosting.Tests;

/// <summary><c>AddGranary</c> in a real generic host over a repo on the embedded backends.</summary>
public sealed class AddGranaryTests : IDisposable
{
    private readonly HostingRepo _repo = new();
    private readonly FakeTimeProvider _time = new(HostingRepo.Ten);

    public void Dispose() => _repo.Dispose();

    private IHost Host(Action<IServiceCollection> configure, IConfiguration? configuration = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        builder.Services.AddSingleton<TimeProvider>(_time);
        configure(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task AddGranary_RepoPath_OneStoreForTheHostServingOnlineReads()
    {
        var host = Host(services => services.AddGranary(_repo.Path, stores => stores.AddDuckDb().AddSqlite()));
        await using var disposeHost = (IAsyncDisposable)host;
        var store = host.Services.GetRequiredService<FeatureStore>();
        await _repo.ApplyAndMaterializeAsync(store, HostingRepo.Ten);
        await host.StartAsync();

        var response = await host.Services.GetRequiredService<FeatureStore>().GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_hourly_stats:trips"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1002L] },
        });

        Assert.Same(store, host.Services.GetRequiredService<FeatureStore>());
        Assert.Equal(_repo.Project, store.Project);
        Assert.Equal(RegistryRefreshMode.ByHost, store.Options.RegistryRefresh);
        // 1001's latest row by 10:00 is the 09:00 one; 1002's is the 07:00 one.
        Assert.Equal(new object?[] { 20L, 50L }, response["trips"].Values);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddGranary_HostDisposed_DisposesTheStoresItBuilt()
    {
        DisposalProbe? probe = null;
        var host = Host(services => services.AddGranary(_repo.Path, stores => stores.AddDuckDb().AddSqlite()
            .AddOnlineStore("sqlite", context => probe = new DisposalProbe(new Sqlite.SqliteOnlineStore(new Sqlite.SqliteOnlineStoreOptions { Path = Path.Combine(_repo.Path, "data", "online.db") })))));
        await host.StartAsync();
        await _repo.ApplyAndMaterializeAsync(host.Services.GetRequiredService<FeatureStore>(), HostingRepo.Ten);
        await host.StopAsync();
        Assert.NotNull(probe);
        Assert.False(probe.Disposed);

        // The host owns the store: disposing the host disposes the store, and the store its backends.
        await ((IAsyncDisposable)host).DisposeAsync();

        Assert.True(probe.Disposed);
    }

    [Fact]
    public async Task AddGranary_FolderWithoutGranaryYaml_HostFailsToStartNamingIt()
    {
        var empty = Directory.CreateTempSubdirectory("granary-empty-").FullName;
        try
        {
            var host = Host(services => services.AddGranary(empty, stores => stores.AddSqlite()));
            await using var disposeHost = (IAsyncDisposable)host;

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

            Assert.Contains($"RepoPath '{empty}' holds no granary.yaml", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task AddGranary_Configuration_BindsRepoPathAndRefreshInterval()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Granary:RepoPath"] = _repo.Path,
            ["Granary:RegistryRefreshInterval"] = "00:00:02",
        }).Build();
        var host = Host(services => services.AddGranary(configuration.GetSection("Granary"), stores => stores.AddDuckDb().AddSqlite()));
        await using var disposeHost = (IAsyncDisposable)host;

        var options = host.Services.GetRequiredService<IOptions<GranaryOptions>>().Value;

        Assert.Equal(_repo.Path, options.RepoPath);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RegistryRefreshInterval);
        Assert.Equal(_repo.Project, host.Services.GetRequiredService<FeatureStore>().Project);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task AddGranary_RefreshIntervalOutOfRange_HostFailsToStartNamingTheRange()
    {
        var host = Host(services => services.AddGranary(
            options =>
            {
                options.RepoPath = _repo.Path;
                options.RegistryRefreshInterval = TimeSpan.FromMilliseconds(1);
            },
            stores => stores.AddSqlite()));
        await using var disposeHost = (IAsyncDisposable)host;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("RegistryRefreshInterval must be 100 ms to 1 hour", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGranary_UnknownOnlineStoreType_FirstUseNamesTheLine()
    {
        _repo.Write("granary.yaml", $"project: {_repo.Project}\nonline_store: {{ type: cassandra }}\n");
        var host = Host(services => services.AddGranary(_repo.Path, stores => stores.AddSqlite()));
        await using var disposeHost = (IAsyncDisposable)host;
        var store = host.Services.GetRequiredService<FeatureStore>();

        // The online store is built on first use; the host's first use is the first health check or read.
        var error = Assert.Throws<GranaryException>(() => store.Online);
        await Task.CompletedTask;

        Assert.Equal("granary.yaml:2:23: online_store.type: unknown type 'cassandra'; expected one of: sqlite (a backend package adds its types to the host)", error.Message);
    }

    [Fact]
    public async Task RegistryRefresh_ApplyWhileServing_NewDefinitionsServedAfterTheInterval()
    {
        var host = Host(services => services.AddGranary(_repo.Path, stores => stores.AddDuckDb().AddSqlite()));
        await using var disposeHost = (IAsyncDisposable)host;
        var store = host.Services.GetRequiredService<FeatureStore>();
        await _repo.ApplyAndMaterializeAsync(store, HostingRepo.Ten);
        await host.StartAsync();
        Assert.Equal(1, (await store.GetServingSnapshotAsync()).Version);

        // Another process applies a new version: a second entity.
        var definitions = Repo.FeatureRepo.LoadDefinitions(_repo.Path, store.SourceKinds);
        await store.Registry.ApplyAsync(store.Project, definitions with { Entities = [.. definitions.Entities, new Entity { Name = "rider", JoinKeys = ["rider_id"] }] }, 1);
        Assert.Equal(1, (await store.GetServingSnapshotAsync()).Version);

        // The refresher's timer starts on a thread of its own (BackgroundService): move the clock until it has ticked.
        for (var i = 0; i < 500 && (await store.GetServingSnapshotAsync()).Version != 2; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(10);
        }

        Assert.Equal(2, (await store.GetServingSnapshotAsync()).Version);
        await host.StopAsync();
    }

    /// <summary>The real SQLite store, recording whether the host disposed it.</summary>
    private sealed class DisposalProbe(OnlineStore inner) : OnlineStore
    {
        public bool Disposed { get; private set; }

        public override Task UpdateAsync(string project, IReadOnlyList<FeatureView> keep, IReadOnlyList<FeatureView> delete, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(project, keep, delete, cancellationToken);

        public override Task WriteBatchAsync(string project, FeatureView view, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default) =>
            inner.WriteBatchAsync(project, view, rows, cancellationToken);

        public override Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadAsync(string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(project, views, keys, cancellationToken);

        public override Task TeardownAsync(string project, CancellationToken cancellationToken = default) => inner.TeardownAsync(project, cancellationToken);

        public override Task<IReadOnlyList<byte[]?>> ReadAggregationStatesAsync(string project, string view, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default) =>
            inner.ReadAggregationStatesAsync(project, view, keys, cancellationToken);

        public override Task UpdateAggregationStatesAsync(string project, string view, IReadOnlyList<AggregationStateUpdate> updates, CancellationToken cancellationToken = default) =>
            inner.UpdateAggregationStatesAsync(project, view, updates, cancellationToken);

        public override Task DeleteAggregationStatesAsync(string project, string view, CancellationToken cancellationToken = default) =>
            inner.DeleteAggregationStatesAsync(project, view, cancellationToken);

        public override async ValueTask DisposeAsync()
        {
            Disposed = true;
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
