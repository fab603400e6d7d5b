using Granary.Online;

namespace Granary;

public sealed partial class FeatureStoreBuilder
{
    private readonly Dictionary<string, Func<StoreContext, OnlineStore>> _online = new(StringComparer.Ordinal);

    /// <summary>Makes an online store type available to <c>online_store.type</c>.</summary>
    /// <param name="type">The value of <c>type</c> that chooses the store.</param>
    /// <param name="factory">Builds the store from its section.</param>
    /// <param name="isDefault">Whether the store serves repos whose granary.yaml names no online store (the first added so wins).</param>
    public FeatureStoreBuilder AddOnlineStore(string type, Func<StoreContext, OnlineStore> factory, bool isDefault = false)
    {
        _online[type] = factory;
        if (isDefault)
        {
            _defaultTypes.TryAdd("online_store", type);
        }

        return this;
    }

    /// <summary>
    /// The online store is built lazily: offline-only commands work on a machine where the online
    /// store's backend is not installed or reachable.
    /// </summary>
    private Lazy<OnlineStore> BuildOnline() => new(() => Create(_online, Config.OnlineStore, "online_store"));
}
