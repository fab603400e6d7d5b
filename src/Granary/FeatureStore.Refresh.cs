namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>
    /// Reads the registry now and, when the project was applied again since, swaps the new definitions
    /// and swaps them in for serving in one reference write: reads in flight keep the snapshot they
    /// started with, the next ones see the new one. For hosts that refresh in the background (the
    /// feature server), which then set <see cref="RegistryRefreshInterval"/> to
    /// <see cref="TimeSpan.MaxValue"/> so that reads never wait for the registry.
    /// </summary>
    /// <returns>The snapshot now served.</returns>
    /// <exception cref="GranaryException">The project was never applied.</exception>
    public async Task<Registry.RegistrySnapshot> RefreshServingSnapshotAsync(CancellationToken cancellationToken = default)
    {
        // Version and update time together: a project torn down and applied again restarts at
        // version 1, which a version check alone would take for the version already served.
        var cached = Volatile.Read(ref _cached);
        var fresh = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (cached is not null && IsSameApply(cached, fresh))
        {
            Interlocked.Exchange(ref _cachedCheckedAt, TimeProvider.GetTimestamp());
            return cached;
        }

        Volatile.Write(ref _cached, fresh);
        Diagnostics.Log.SnapshotLoaded(_logger, Project, fresh.Version);
        Interlocked.Exchange(ref _cachedCheckedAt, TimeProvider.GetTimestamp());
        return fresh;
    }

    /// <summary>Whether two snapshots come from the same apply; caches of compiled work are keyed the same way.</summary>
    private static bool IsSameApply(Registry.RegistrySnapshot a, Registry.RegistrySnapshot b) =>
        a.Version == b.Version && a.UpdatedAt == b.UpdatedAt;
}
