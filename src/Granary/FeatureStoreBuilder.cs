using Granary.Offline;
using Granary.Registry;
using Granary.Repo;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary;

/// <summary>
/// Builds a <see cref="FeatureStore"/> from a repo's configuration, choosing each store by the
/// <c>type</c> of its section among the backends added here. Backend packages add themselves with
/// extension methods such as <c>AddDuckDb()</c>.
/// </summary>
public sealed partial class FeatureStoreBuilder
{
    private readonly Dictionary<string, Func<StoreContext, OfflineStore>> _offline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<StoreContext, FeatureRegistry>> _registries = new(StringComparer.Ordinal)
    {
        ["file"] = context => new FileRegistry(
            context.Repo.ResolvePath(context.Section.Get("path") ?? "data/registry.json", "registry path"), context.TimeProvider),
    };

    /// <summary>Starts a builder for the repo described by <paramref name="config"/>.</summary>
    public FeatureStoreBuilder(RepoConfig config)
    {
        Config = config;
    }

    /// <summary>The repo configuration the stores are built from.</summary>
    public RepoConfig Config { get; }

    /// <summary>The clock given to every store; the system clock unless replaced.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where stores log; nowhere unless replaced.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>The settings of the store built; the defaults unless replaced.</summary>
    public FeatureStoreOptions Options { get; set; } = new();

    /// <summary>Makes an offline store type available to <c>offline_store.type</c>.</summary>
    public FeatureStoreBuilder AddOfflineStore(string type, Func<StoreContext, OfflineStore> factory)
    {
        _offline[type] = factory;
        return this;
    }

    /// <summary>Makes a registry type available to <c>registry.type</c>.</summary>
    public FeatureStoreBuilder AddRegistry(string type, Func<StoreContext, FeatureRegistry> factory)
    {
        _registries[type] = factory;
        return this;
    }

    /// <summary>Builds the stores named in the configuration; an unknown type is an error naming the section.</summary>
    public FeatureStore Build()
    {
        var registry = Create(_registries, Config.Registry, "registry");
        try
        {
            var offline = Create(_offline, Config.OfflineStore, "offline_store");
            return new FeatureStore(Config, registry, offline, BuildOnline(), TimeProvider, LoggerFactory, Options);
        }
        catch
        {
            // The registry may hold a connection pool: do not leak it when the next section is wrong.
            registry.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private T Create<T>(Dictionary<string, Func<StoreContext, T>> factories, StoreConfig section, string key)
    {
        if (!factories.TryGetValue(section.Type, out var factory))
        {
            var known = factories.Count == 0 ? "none is installed" : "expected one of: " + string.Join(", ", factories.Keys.Order(StringComparer.Ordinal));
            throw new GranaryException($"{RepoConfig.FileName}: {key}: unknown type '{section.Type}'; {known}");
        }

        return factory(new StoreContext(Config, section, TimeProvider, LoggerFactory));
    }
}
