using Granary.DuckDb;
using Microsoft.Extensions.Logging;

// Extensions live in the root namespace so that AddDuckDb() is found without extra usings.
namespace Granary;

/// <summary>Plugs the DuckDB offline store into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranaryDuckDbExtensions
{
    /// <summary>
    /// Makes <c>offline_store: { type: duckdb }</c> available, and the default when granary.yaml names
    /// no offline store; the keys of the section are those of <see cref="DuckDbOfflineStoreOptions"/>.
    /// </summary>
    public static FeatureStoreBuilder AddDuckDb(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddOfflineStore("duckdb", context =>
            new DuckDbOfflineStore(
                context.Bind(new DuckDbOfflineStoreOptions { RepoPath = context.Repo.RepoPath }), context.LoggerFactory.CreateLogger<DuckDbOfflineStore>()), isDefault: true);
    }
}
