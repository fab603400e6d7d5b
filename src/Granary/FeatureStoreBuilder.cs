using Granary.Definitions;
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
    private readonly Dictionary<string, string> _defaultTypes = new(StringComparer.Ordinal) { ["registry"] = "file" };
    private readonly Dictionary<string, Func<StoreContext, FeatureRegistry>> _registries = new(StringComparer.Ordinal)
    {
        ["file"] = context => new FileRegistry(context.Bind(new FileRegistryOptions()).Path, context.TimeProvider, context.SourceKinds),
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

    /// <summary>The source kinds the built store understands: the core's and those added with <see cref="AddSourceKind"/>.</summary>
    public SourceKinds SourceKinds { get; } = new();

    /// <summary>Makes a source kind available to definitions (its YAML <c>kind</c>) and to the registry (its JSON <c>type</c>).</summary>
    public FeatureStoreBuilder AddSourceKind(SourceKind kind)
    {
        SourceKinds.Add(kind);
        return this;
    }

    /// <summary>Makes an offline store type available to <c>offline_store.type</c>.</summary>
    /// <param name="type">The value of <c>type</c> that chooses the store.</param>
    /// <param name="factory">Builds the store from its section.</param>
    /// <param name="isDefault">Whether the store serves repos whose granary.yaml names no offline store (the first added so wins).</param>
    public FeatureStoreBuilder AddOfflineStore(string type, Func<StoreContext, OfflineStore> factory, bool isDefault = false)
    {
        _offline[type] = factory;
        if (isDefault)
        {
            _defaultTypes.TryAdd("offline_store", type);
        }

        return this;
    }

    /// <summary>Makes a registry type available to <c>registry.type</c>.</summary>
    public FeatureStoreBuilder AddRegistry(string type, Func<StoreContext, FeatureRegistry> factory)
    {
        _registries[type] = factory;
        return this;
    }

    /// <summary>
    /// Builds the registry now and the offline and online stores on first use, so that a host uses only the
    /// backends it needs (a serving process needs no offline backend, offline commands no online one). An
    /// unknown type is an error naming the section, when the store is first used.
    /// </summary>
    public FeatureStore Build()
    {
        var registry = Create(_registries, Config.Registry, "registry");
        try
        {
            return new FeatureStore(Config, registry, new Lazy<OfflineStore>(() => Create(_offline, Config.OfflineStore, "offline_store")), BuildOnline(), TimeProvider, LoggerFactory, Options, SourceKinds);
        }
        catch
        {
            // The registry may hold a connection pool: do not leak it when a later part is wrong.
            registry.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private T Create<T>(Dictionary<string, Func<StoreContext, T>> factories, StoreConfig section, string key)
    {
        if (section.Type.Length == 0)
        {
            // The section (or its type) was not written: the embedded default that a backend offered.
            section = section with
            {
                Type = _defaultTypes.GetValueOrDefault(key)
                    ?? throw new GranaryException(
                        $"{RepoConfig.FileName}: {key}: no type given and no installed backend is a default; expected one of: " +
                        string.Join(", ", factories.Keys.Order(StringComparer.Ordinal))),
            };
        }

        if (!factories.TryGetValue(section.Type, out var factory))
        {
            var known = factories.Count == 0 ? "none is installed" : "expected one of: " + string.Join(", ", factories.Keys.Order(StringComparer.Ordinal));
            var where = section.Section.Length == 0 ? section with { Section = key } : section;
            throw new GranaryException($"{where.Where("type")}: unknown type '{section.Type}'; {known} (a backend package adds its types to the host)");
        }

        return factory(new StoreContext(Config, section.Section.Length == 0 ? section with { Section = key } : section, TimeProvider, LoggerFactory, SourceKinds));
    }
}
