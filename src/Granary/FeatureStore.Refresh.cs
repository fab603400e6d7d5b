using Granary.Registry;

namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>How long a served snapshot is used before a read checks the registry; infinite when the host refreshes.</summary>
    private readonly TimeSpan _refreshInterval;
    private RegistrySnapshot? _cached;
    private long _cachedCheckedAt;

    /// <summary>
    /// The registry snapshot for serving, re-read when its version changed: with
    /// <see cref="RegistryRefreshMode.OnRead"/> checked at most every
    /// <see cref="FeatureStoreOptions.RegistryRefreshInterval"/>, with
    /// <see cref="RegistryRefreshMode.ByHost"/> only when nothing was loaded yet.
    /// </summary>
    public async Task<RegistrySnapshot> GetServingSnapshotAsync(CancellationToken cancellationToken = default) =>
        TryGetServingSnapshot() ?? await RefreshServingSnapshotAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Reads the registry now and, when the project was applied again since, swaps the new
    /// definitions in for serving in one reference write: reads in flight keep the snapshot they
    /// started with, the next ones see the new one. For hosts that refresh in the background (the
    /// feature server), which build the store with <see cref="RegistryRefreshMode.ByHost"/> so
    /// that reads never wait for the registry.
    /// </summary>
    /// <returns>The snapshot now served.</returns>
    /// <exception cref="GranaryException">The project was never applied.</exception>
    public async Task<RegistrySnapshot> RefreshServingSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var cached = Volatile.Read(ref _cached);
        var fresh = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (cached is not null && ApplyId.Of(cached) == ApplyId.Of(fresh))
        {
            Interlocked.Exchange(ref _cachedCheckedAt, TimeProvider.GetTimestamp());
            return cached;
        }

        Volatile.Write(ref _cached, fresh);
        Diagnostics.Log.SnapshotLoaded(_logger, Project, fresh.Version);
        Interlocked.Exchange(ref _cachedCheckedAt, TimeProvider.GetTimestamp());
        return fresh;
    }

    /// <summary>The served snapshot when it may be used without asking the registry; null when it must be refreshed first.</summary>
    private RegistrySnapshot? TryGetServingSnapshot()
    {
        var cached = Volatile.Read(ref _cached);
        return cached is not null && TimeProvider.GetElapsedTime(Interlocked.Read(ref _cachedCheckedAt)) < _refreshInterval ? cached : null;
    }
}
