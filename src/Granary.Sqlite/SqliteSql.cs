using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Granary.Definitions;
using Granary.Online;

namespace Granary.Sqlite;

/// <summary>
/// Table names and statement texts of the SQLite online store.
/// </summary>
/// <remarks>
/// A view's rows live in one table per (project, view, schema) with three columns: the entity key's
/// canonical text, the event time in Unix microseconds and every feature of the row in one blob
/// (<see cref="Online.FeatureValueCodec.EncodeRow"/>). One blob rather than a column per feature
/// because SQLite reads a whole row from its page anyway, so columns would save no I/O, while one
/// blob keeps the upsert a fixed three-parameter statement, binds one value instead of fifty and
/// lets a read decode only the requested features. The schema's fingerprint is part of the table
/// name, so a view whose features change gets a new, empty table (the old one is dropped by
/// <c>UpdateAsync</c>) and old bytes are never read under a new schema, even by another process
/// still holding the old definition.
/// </remarks>
internal static class SqliteSql
{
    /// <summary>Which table belongs to which project and view, so that update and teardown find them.</summary>
    public const string Catalog = "granary_online_tables";

    public const string CreateCatalog =
        $"CREATE TABLE IF NOT EXISTS {Catalog} (table_name TEXT PRIMARY KEY, project TEXT NOT NULL, view TEXT NOT NULL) WITHOUT ROWID";

    public const string RegisterTable = $"INSERT OR IGNORE INTO {Catalog} (table_name, project, view) VALUES ($0, $1, $2)";

    public const string TablesOfView = $"SELECT table_name FROM {Catalog} WHERE project = $0 AND view = $1";

    public const string TablesOfProject = $"SELECT table_name FROM {Catalog} WHERE project = $0";

    public const string UnregisterTable = $"DELETE FROM {Catalog} WHERE table_name = $0";

    public const string TableExists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $0";

    /// <summary>
    /// The table of a view's rows: readable from the project and view names (characters other than
    /// ASCII letters, digits and underscores become underscores) and made unique by a hash of the
    /// exact names and the schema (<see cref="OnlineSchema.Entries"/>, each <c>name:dtype</c>
    /// after a NUL; the format existing tables were named by).
    /// </summary>
    public static string TableName(string project, FeatureView view)
    {
        var identity = new StringBuilder().Append(project).Append('\0').Append(view.Name);
        foreach (var entry in OnlineSchema.Entries(view, ":"))
        {
            identity.Append('\0').Append(entry);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString()));
        return $"online_{Readable(project)}__{Readable(view.Name)}_{Convert.ToHexStringLower(hash, 0, 6)}";
    }

    /// <summary>Quotes an identifier for SQLite: in double quotes, inner quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string CreateTable(string table) =>
        $"CREATE TABLE IF NOT EXISTS {Quote(table)} (entity_key TEXT PRIMARY KEY, event_ts INTEGER NOT NULL, feature_values BLOB NOT NULL) WITHOUT ROWID";

    public static string DropTable(string table) => $"DROP TABLE IF EXISTS {Quote(table)}";

    /// <summary>
    /// The monotonic upsert: an existing row is replaced only by a row at least as new, decided by
    /// SQLite itself in the same statement so that concurrent writers cannot interleave a check and a write.
    /// </summary>
    public static string Upsert(string table)
    {
        var quoted = Quote(table);
        return $"INSERT INTO {quoted} (entity_key, event_ts, feature_values) VALUES ($0, $1, $2) " +
            "ON CONFLICT (entity_key) DO UPDATE SET event_ts = excluded.event_ts, feature_values = excluded.feature_values " +
            $"WHERE excluded.event_ts >= {quoted}.event_ts";
    }

    /// <summary>Reads <paramref name="keys"/> rows by key in one statement (parameters <c>$0</c> to <c>$keys-1</c>).</summary>
    public static string Select(string table, int keys)
    {
        var sql = new StringBuilder("SELECT entity_key, event_ts, feature_values FROM ").Append(Quote(table));
        if (keys == 1)
        {
            return sql.Append(" WHERE entity_key = $0").ToString();
        }

        sql.Append(" WHERE entity_key IN (");
        for (var i = 0; i < keys; i++)
        {
            sql.Append(i == 0 ? "$" : ", $").Append(i.ToString(CultureInfo.InvariantCulture));
        }

        return sql.Append(')').ToString();
    }

    private static string Readable(string name)
    {
        var chars = name.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        return new string(chars);
    }
}
