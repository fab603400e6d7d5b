using Granary.Online;

namespace Granary;

public sealed partial class FeatureStoreBuilder
{
    private readonly Dictionary<string, Func<StoreContext, OnlineStore>> _online = new(StringComparer.Ordinal);

    /// <summary>Makes an online store type available to <c>online_store.type</c>.</summary>
    public FeatureStoreBuilder AddOnlineStore(string type, Func<StoreContext, OnlineStore> factory)
    {
        _online[type] = factory;
        return this;
    }

    /// <summary>
    /// The online store is built lazily: offline-only commands work on a machine where the online
    /// store's backend is not installed or reachable.
    /// </summary>
    private Lazy<OnlineStore> BuildOnline() => new(() => Create(_online, Config.OnlineStore, "online_store"));
}
