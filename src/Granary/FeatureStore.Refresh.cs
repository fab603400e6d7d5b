namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>
    /// Checks the registry now and, when the project's version changed, loads the new definitions
    /// and swaps them in for serving in one reference write: reads in flight keep the snapshot they
    /// started with, the next ones see the new one. For hosts that refresh in the background (the
    /// feature server), which then set <see cref="RegistryRefreshInterval"/> to
    /// <see cref="TimeSpan.MaxValue"/> so that reads never wait for the registry.
    /// </summary>
    /// <returns>The snapshot now served.</returns>
    /// <exception cref="GranaryException">The project was never applied.</exception>
    public async Task<Registry.RegistrySnapshot> RefreshServingSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && await Registry.GetVersionAsync(Project, cancellationToken).ConfigureAwait(false) == cached.Version)
        {
            Interlocked.Exchange(ref _cachedCheckedAt, TimeProvider.GetTimestamp());
            return cached;
        }

        var fresh = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _cached, fresh);
        Diagnostics.Log.SnapshotLoaded(_logger, Project, fresh.Version);
        Interlocked.Exchange(ref _cachedCheckedAt, TimeProvider.GetTimestamp());
        return fresh;
    }
}
