using Granary.Sqlite;
using Microsoft.Extensions.Logging;

// Extensions live in the root namespace so that AddSqlite() is found without extra usings.
namespace Granary;

/// <summary>Plugs the SQLite online store and SQL registry dialect into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranarySqliteExtensions
{
    /// <summary>
    /// Makes <c>online_store: { type: sqlite, path: data/online.db }</c> (see <see cref="SqliteOnlineStoreOptions"/>),
    /// the default when granary.yaml names no online store,
    /// and <c>registry: { type: sql, dialect: sqlite, path: data/registry.db }</c> available. Paths
    /// are relative to the repo and may not leave it.
    /// </summary>
    public static FeatureStoreBuilder AddSqlite(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddSqlRegistryDialect(SqliteRegistryDialect.Instance)
            .AddOnlineStore("sqlite", context => new SqliteOnlineStore(context.Bind(new SqliteOnlineStoreOptions()), context.LoggerFactory.CreateLogger<SqliteOnlineStore>()), isDefault: true);
    }
}
