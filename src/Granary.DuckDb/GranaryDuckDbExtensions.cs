using Granary.DuckDb;

// Extensions live in the root namespace so that AddDuckDb() is found without extra usings.
namespace Granary;

/// <summary>Plugs the DuckDB offline store into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranaryDuckDbExtensions
{
    /// <summary>
    /// Makes <c>offline_store: { type: duckdb }</c> available. Keys of the section: <c>memory_limit</c>,
    /// <c>threads</c>, <c>temp_directory</c> (see <see cref="DuckDbOfflineStoreOptions"/>).
    /// </summary>
    public static FeatureStoreBuilder AddDuckDb(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddOfflineStore("duckdb", context =>
        {
            var options = new DuckDbOfflineStoreOptions { RepoPath = context.Repo.RepoPath };
            if (context.Section.Get("memory_limit") is { } memory)
            {
                options.MemoryLimit = memory;
            }

            if (context.Section.Get("threads") is { } threads)
            {
                options.Threads = int.TryParse(threads, out var n) && n >= 0
                    ? n
                    : throw new GranaryException($"granary.yaml: offline_store.threads must be a whole number, not '{threads}'");
            }

            options.TempDirectory = context.Section.Get("temp_directory") is { } temp
                ? context.Repo.ResolvePath(temp, "offline_store.temp_directory")
                : null;
            return new DuckDbOfflineStore(options);
        });
    }
}
