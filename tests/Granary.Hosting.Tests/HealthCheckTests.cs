using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Hosting.Tests;

/// <summary><c>AddGranaryHealthChecks</c> over real stores: SQLite and DuckDB files, and a Redis address where nothing listens.</summary>
public sealed class HealthCheckTests : IDisposable
{
    private readonly HostingRepo _repo = new();
    private readonly FakeTimeProvider _time = new(HostingRepo.Ten);

    public void Dispose() => _repo.Dispose();

    private async Task<(IHost Host, FeatureStore Store)> StartAsync(Action<GranaryHealthCheckOptions>? health = null, bool materialize = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddGranary(_repo.Path, stores => stores.AddDuckDb().AddSqlite().AddRedis());
        builder.Services.AddGranaryHealthChecks(health);
        var host = builder.Build();
        var store = host.Services.GetRequiredService<FeatureStore>();
        if (materialize)
        {
            await _repo.ApplyAndMaterializeAsync(store, HostingRepo.Ten);
        }

        await host.StartAsync();
        return (host, store);
    }

    private static Task<HealthReport> CheckAsync(IHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(GranaryHealthCheckOptions.ReadyTag));

    [Fact]
    public async Task Ready_AppliedAndJustMaterialized_EveryCheckHealthy()
    {
        var (host, _) = await StartAsync();
        await using var dispose = (IAsyncDisposable)host;

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["granary_freshness", "granary_online_store", "granary_registry"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("serving registry version 1 of project '" + _repo.Project + "'", report.Entries["granary_registry"].Description);
        Assert.Equal("1 materialized views are fresh", report.Entries["granary_freshness"].Description);
    }

    [Fact]
    public async Task Ready_CheckOfflineStore_AddsTheOfflineCheck()
    {
        var (host, _) = await StartAsync(o => o.CheckOfflineStore = true);
        await using var dispose = (IAsyncDisposable)host;

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Healthy, report.Entries["granary_offline_store"].Status);
        Assert.Equal("offline store answered", report.Entries["granary_offline_store"].Description);
    }

    [Fact]
    public async Task Freshness_PastTheViewsTtl_DegradedNamingTheView()
    {
        var (host, _) = await StartAsync();
        await using var dispose = (IAsyncDisposable)host;

        // Materialized up to 10:00 on the 12th; 11:00 on the 13th is 1d1h later, past the 1d ttl.
        _time.SetUtcNow(HostingRepo.Ten.AddDays(1).AddHours(1));
        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["granary_freshness"].Status);
        Assert.Equal(
            "stale: driver_hourly_stats (materialized until 2021-04-12T10:00:00.0000000+00:00, 1d1h ago; threshold 1d)",
            report.Entries["granary_freshness"].Description);
        Assert.Equal(HealthStatus.Healthy, report.Entries["granary_online_store"].Status);
    }

    [Theory]
    [InlineData(1, HealthStatus.Healthy)]
    [InlineData(3, HealthStatus.Degraded)]
    public async Task Freshness_MaxStaleness_JudgesEveryViewByIt(int hoursLater, HealthStatus expected)
    {
        var (host, _) = await StartAsync(o => o.MaxStaleness = TimeSpan.FromHours(2));
        await using var dispose = (IAsyncDisposable)host;

        _time.SetUtcNow(HostingRepo.Ten.AddHours(hoursLater));
        var report = await CheckAsync(host);

        Assert.Equal(expected, report.Entries["granary_freshness"].Status);
    }

    [Fact]
    public async Task Registry_FileBrokenAfterStart_UnhealthyAfterTheNextRefresh()
    {
        var (host, store) = await StartAsync();
        await using var dispose = (IAsyncDisposable)host;
        File.WriteAllText(Path.Combine(_repo.Path, "data", "registry.json"), "{ not json");

        // The refresher's timer starts on a thread of its own (BackgroundService): move the clock until it has ticked.
        HealthReport report;
        var tries = 0;
        do
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(10);
            report = await CheckAsync(host);
        }
        while (report.Entries["granary_registry"].Status == HealthStatus.Healthy && ++tries < 500);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.StartsWith("registry: ", report.Entries["granary_registry"].Description, StringComparison.Ordinal);
        // The last good snapshot is still served.
        Assert.Equal(1, (await store.GetServingSnapshotAsync()).Version);
    }

    [Fact]
    public async Task OnlineStore_NothingListens_UnhealthyWithinTheTimeout()
    {
        var port = FreePort();
        _repo.Write("granary.yaml", $"project: {_repo.Project}\nonline_store: {{ type: redis, connection_string: \"127.0.0.1:{port},connectTimeout=200\" }}\n");
        var (host, _) = await StartAsync(o => o.OnlineStoreTimeout = TimeSpan.FromMilliseconds(500), materialize: false);
        await using var dispose = (IAsyncDisposable)host;

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["granary_online_store"].Status);
        Assert.StartsWith("online store", report.Entries["granary_online_store"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_TimeoutOutOfRange_HostFailsToStart()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => StartAsync(o => o.OnlineStoreTimeout = TimeSpan.Zero, materialize: false));

        Assert.Contains("OnlineStoreTimeout must be 10 ms to 60 seconds", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on once this returns.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
