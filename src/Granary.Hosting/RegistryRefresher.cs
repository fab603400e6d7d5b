using Granary.Hosting.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Hosting;

/// <summary>
/// Keeps the served registry snapshot current: checks the version every
/// <see cref="GranaryOptions.RegistryRefreshInterval"/> and swaps a new one in off the request path,
/// so that requests never wait for the registry and never see a half-applied change. A failed refresh
/// keeps the last good snapshot and marks the registry unhealthy until a refresh succeeds.
/// </summary>
/// <remarks>
/// The host's <see cref="FeatureStore"/> must be built with <see cref="FeatureStoreOptions.RegistryRefresh"/>
/// set to <see cref="RegistryRefreshMode.ByHost"/> (<c>AddGranary</c> does), so that its reads use the
/// snapshot this service keeps instead of checking the registry themselves.
/// </remarks>
internal sealed class RegistryRefresher : BackgroundService
{
    private readonly FeatureStore _store;
    private readonly RegistryStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistryRefresher> _logger;
    private readonly TimeSpan _interval;

    public RegistryRefresher(FeatureStore store, RegistryStatus status, TimeProvider time, IOptions<GranaryOptions> options, ILogger<RegistryRefresher> logger)
    {
        _store = store;
        _status = status;
        _time = time;
        _logger = logger;
        _interval = options.Value.RegistryRefreshInterval;
        if (store.Options.RegistryRefresh != RegistryRefreshMode.ByHost)
        {
            throw new InvalidOperationException(
                "the host's FeatureStore must be built with FeatureStoreOptions.RegistryRefresh = RegistryRefreshMode.ByHost: "
                + "the host's registry refresher keeps its snapshot current, and reads must not wait for the registry");
        }
    }

    /// <summary>Loads the registry once before the host starts serving, so the first request finds it in memory.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var before = _status.Current.Version;
        try
        {
            var snapshot = await _store.RefreshServingSnapshotAsync(cancellationToken).ConfigureAwait(false);
            _status.Succeeded(snapshot.Version);
            if (snapshot.Version != before)
            {
                Log.RegistryLoaded(_logger, _store.Project, snapshot.Version);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _status.Failed(e.Message);
            Log.RegistryRefreshFailed(_logger, before, e.Message);
        }
    }
}
