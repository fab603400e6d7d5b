using Granary.Registry;
using Granary.Sqlite;
using Microsoft.Data.Sqlite;

// Extensions live in the root namespace so that AddSqlite() is found without extra usings.
namespace Granary;

/// <summary>Plugs the SQLite online store into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranarySqliteExtensions
{
    /// <summary>
    /// Makes <c>online_store: { type: sqlite, path: data/online.db }</c> and
    /// <c>registry: { type: sql, dialect: sqlite, path: data/registry.db }</c> available. Paths are
    /// relative to the repo and may not leave it.
    /// </summary>
    public static FeatureStoreBuilder AddSqlite(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSqlRegistryDialect(SqlRegistryDialect.Sqlite, context => SqliteFactory.Instance.CreateDataSource(
            new SqliteConnectionStringBuilder
            {
                DataSource = context.Repo.ResolvePath(context.Section.Get("path") ?? "data/registry.db", "registry.path"),
            }.ConnectionString));
        return builder.AddOnlineStore("sqlite", context => new SqliteOnlineStore(new SqliteOnlineStoreOptions
        {
            Path = context.Repo.ResolvePath(context.Section.Get("path") ?? "data/online.db", "online_store.path"),
        }));
    }
}
