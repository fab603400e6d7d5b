using Granary.Repo;

namespace Granary.Cli;

/// <summary>
/// The one place that knows every backend: builds a <see cref="FeatureStore"/> for a repo, choosing
/// stores by the <c>type</c> of each section of granary.yaml.
/// </summary>
internal static class Stores
{
    public static FeatureStore Open(string repoPath) => Builder(FeatureRepo.LoadConfig(repoPath)).Build();

    public static FeatureStoreBuilder Builder(RepoConfig config) =>
        new FeatureStoreBuilder(config)
            .AddDuckDb()
            .AddSqlite()
            .AddRedis()
            .AddPostgres();
}
