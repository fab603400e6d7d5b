namespace Granary;

/// <summary>Who keeps the registry snapshot a <see cref="FeatureStore"/> serves from current.</summary>
public enum RegistryRefreshMode
{
    /// <summary>
    /// Reads do: a read checks the registry's version when the cached snapshot is older than
    /// <see cref="FeatureStoreOptions.RegistryRefreshInterval"/>. Right for a process that reads now
    /// and then (the CLI, a notebook, an application holding the store itself).
    /// </summary>
    OnRead,

    /// <summary>
    /// The host does, by calling <see cref="FeatureStore.RefreshServingSnapshotAsync"/> off the
    /// request path (the feature server's registry poller): reads never wait for the registry. Only
    /// the first read loads the snapshot when the host has not yet.
    /// </summary>
    ByHost,
}
