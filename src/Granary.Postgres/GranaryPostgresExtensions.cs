using Granary.Postgres;

// Extensions live in the root namespace so that AddPostgres() is found without extra usings.
namespace Granary;

/// <summary>Plugs the PostgreSQL stores into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranaryPostgresExtensions
{
    /// <summary>
    /// Makes the <c>postgres_source</c> kind, <c>offline_store: { type: postgres }</c>,
    /// <c>online_store: { type: postgres }</c> and <c>registry: { type: sql, dialect: postgres }</c>
    /// available. The keys of each section are those of <see cref="PostgresOfflineStoreOptions"/>,
    /// <see cref="PostgresOnlineStoreOptions"/> and <see cref="PostgresRegistryOptions"/>.
    /// </summary>
    public static FeatureStoreBuilder AddPostgres(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddSourceKind(PostgresSource.SourceKind)
            .AddOfflineStore("postgres", context => new PostgresOfflineStore(context.Bind(new PostgresOfflineStoreOptions()), context.LoggerFactory))
            .AddOnlineStore("postgres", context => new PostgresOnlineStore(context.Bind(new PostgresOnlineStoreOptions()), context.LoggerFactory))
            .AddSqlRegistryDialect(PostgresRegistryDialect.Instance);
    }
}
