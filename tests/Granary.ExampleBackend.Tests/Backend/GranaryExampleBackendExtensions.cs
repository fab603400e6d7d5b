using Granary.ExampleBackend.Tests.Backend;

// Extensions live in the root namespace so that AddExampleBackend() is found without extra usings.
namespace Granary;

/// <summary>Plugs the example backend into a <see cref="FeatureStoreBuilder"/>, as a backend package would.</summary>
public static class GranaryExampleBackendExtensions
{
    /// <summary>
    /// Makes the <c>csv_folder_source</c> kind, <c>offline_store: { type: csv_folder }</c>,
    /// <c>online_store: { type: memory }</c> and <c>registry: { type: memory }</c> available. None is a
    /// default: a repo names them in granary.yaml. The keys of each section are those of
    /// <see cref="CsvFolderOfflineStoreOptions"/>, <see cref="MemoryOnlineStoreOptions"/> and <see cref="MemoryRegistryOptions"/>.
    /// </summary>
    public static FeatureStoreBuilder AddExampleBackend(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddSourceKind(CsvFolderSource.SourceKind)
            .AddOfflineStore("csv_folder", context =>
                new CsvFolderOfflineStore(context.Bind(new CsvFolderOfflineStoreOptions { RepoPath = context.Repo.RepoPath })))
            .AddOnlineStore("memory", context => new MemoryOnlineStore(context.Bind(new MemoryOnlineStoreOptions())))
            .AddRegistry("memory", context => new MemoryRegistry(context.Bind(new MemoryRegistryOptions()), context.TimeProvider, context.SourceKinds));
    }
}
