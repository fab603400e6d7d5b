using Granary.Sqlite;

// Extensions live in the root namespace so that AddSqlite() is found without extra usings.
namespace Granary;

/// <summary>Plugs the SQLite online store into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranarySqliteExtensions
{
    /// <summary>
    /// Makes <c>online_store: { type: sqlite, path: data/online.db }</c> available. <c>path</c> is
    /// relative to the repo and may not leave it; it defaults to <c>data/online.db</c>.
    /// </summary>
    public static FeatureStoreBuilder AddSqlite(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddOnlineStore("sqlite", context => new SqliteOnlineStore(new SqliteOnlineStoreOptions
        {
            Path = context.Repo.ResolvePath(context.Section.Get("path") ?? "data/online.db", "online_store.path"),
        }));
    }
}
