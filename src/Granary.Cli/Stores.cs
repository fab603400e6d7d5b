using Granary.Repo;
using Granary.Server;

namespace Granary.Cli;

/// <summary>
/// The one place that knows every backend: builds a <see cref="FeatureStore"/> for a repo, choosing
/// stores by the <c>type</c> of each section of granary.yaml.
/// </summary>
internal static class Stores
{
    /// <summary>
    /// Reads the repo's granary.yaml and builds its stores. With <paramref name="checkServerSection"/>
    /// (plan and apply) the feature_server section is checked too (its keys, types and ranges; not its
    /// key variables, which only the server needs), so that a mistake in it surfaces at apply rather
    /// than when the server starts; other commands skip the work.
    /// </summary>
    public static FeatureStore Open(string repoPath, bool checkServerSection = false)
    {
        var config = FeatureRepo.LoadConfig(repoPath);
        if (checkServerSection)
        {
            new GranaryServerOptions().LoadFrom(config.FeatureServer, environment: null);
        }

        var builder = Builder(config);
        builder.LoggerFactory = CommandRunner.LoggerFactory;
        return builder.Build();
    }

    public static FeatureStoreBuilder Builder(RepoConfig config) => AddBackends(new FeatureStoreBuilder(config));

    /// <summary>Adds every backend to <paramref name="builder"/>; <paramref name="redisConnected"/> sees each Redis connection (to trace it).</summary>
    public static FeatureStoreBuilder AddBackends(FeatureStoreBuilder builder, Action<StackExchange.Redis.IConnectionMultiplexer>? redisConnected = null) =>
        builder
            .AddDuckDb()
            .AddSqlite()
            .AddRedis(redisConnected)
            .AddPostgres();
}
