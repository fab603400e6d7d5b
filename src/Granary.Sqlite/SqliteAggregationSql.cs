using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using static Granary.Sqlite.SqliteSql;

namespace Granary.Sqlite;

/// <summary>
/// Tables and statements of aggregation states in the SQLite online store: one table per (project,
/// aggregation view), <c>agg_{project}__{view}_{hash}</c>, with the entity key's canonical text and
/// the state's bytes. The table is registered in <see cref="SqliteSql.Catalog"/> under the view's
/// name, so teardown and view deletion find it like a feature view's. The state's own header
/// fingerprints its layout, so the table name needs no schema hash.
/// </summary>
internal static class SqliteAggregationSql
{
    public static string TableName(string project, string view)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(project + "\0" + view + "\0aggregation"));
        return $"agg_{Readable(project)}__{Readable(view)}_{Convert.ToHexStringLower(hash, 0, 6)}";
    }

    public static string CreateTable(string table) =>
        $"CREATE TABLE IF NOT EXISTS {Quote(table)} (entity_key TEXT PRIMARY KEY, state BLOB NOT NULL) WITHOUT ROWID";

    public static string SelectOne(string table) => $"SELECT state FROM {Quote(table)} WHERE entity_key = $0";

    /// <summary>Reads <paramref name="keys"/> states by key in one statement (parameters <c>$0</c> to <c>$keys-1</c>).</summary>
    public static string Select(string table, int keys)
    {
        var sql = new StringBuilder("SELECT entity_key, state FROM ").Append(Quote(table)).Append(" WHERE entity_key IN (");
        for (var i = 0; i < keys; i++)
        {
            sql.Append(i == 0 ? "$" : ", $").Append(i.ToString(CultureInfo.InvariantCulture));
        }

        return sql.Append(')').ToString();
    }

    public static string Upsert(string table) =>
        $"INSERT INTO {Quote(table)} (entity_key, state) VALUES ($0, $1) ON CONFLICT (entity_key) DO UPDATE SET state = excluded.state";

    public static string Delete(string table) => $"DELETE FROM {Quote(table)} WHERE entity_key = $0";

    private static string Readable(string name) =>
        new(name.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
}
