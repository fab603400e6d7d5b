using System.Security.Cryptography;
using System.Text;
using Granary.Definitions;
using Granary.Online;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

/// <summary>
/// Tables and statements of the PostgreSQL online store: one table per project, one row per
/// (view, entity key) with the event time in Unix microseconds, a fingerprint of the view's schema
/// and every feature in one blob (<see cref="Online.FeatureValueCodec.EncodeRow"/>).
/// </summary>
/// <remarks>
/// One blob per row keeps a 50-feature read to one index probe per view and a write to a fixed
/// statement; names of views and features are values, never identifiers, so any name works. The
/// fingerprint makes rows written under another schema invisible (and replaceable whatever their
/// event time), so old bytes are never decoded as a new type.
/// </remarks>
internal static class PostgresOnlineLayout
{
    /// <summary>A readable, unique table name under PostgreSQL's 63-byte limit.</summary>
    public static string TableName(string project)
    {
        var readable = new string(project.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? char.ToLowerInvariant(c) : '_').Take(32).ToArray());
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(project));
        return $"granary_online_{readable}_{Convert.ToHexStringLower(hash, 0, 4)}";
    }

    public static string Qualified(string? schema, string table) => schema is null ? Id(table) : $"{Id(schema)}.{Id(table)}";

    /// <summary>
    /// A fingerprint of the view's feature names and types, in order: the first 8 bytes of the
    /// SHA-256 of <see cref="OnlineSchema.Entries"/> as <c>name NUL dtype NUL</c> each, the format
    /// existing rows were written with.
    /// </summary>
    public static long Fingerprint(FeatureView view)
    {
        var identity = new StringBuilder();
        foreach (var entry in OnlineSchema.Entries(view, "\0"))
        {
            identity.Append(entry).Append('\0');
        }

        return BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())), 0);
    }

    public static string CreateTable(string table) =>
        $"CREATE TABLE IF NOT EXISTS {table} (view_name text NOT NULL, entity_key bytea NOT NULL, event_ts bigint NOT NULL, " +
        "schema_fp bigint NOT NULL, feature_values bytea NOT NULL, PRIMARY KEY (view_name, entity_key))";

    /// <summary>
    /// The monotonic upsert of a batch passed as arrays: within the batch the newest row per key wins
    /// (the later one on a tie), and a stored row is replaced only by one at least as new, decided by
    /// PostgreSQL in the same statement so concurrent writers cannot interleave a check and a write.
    /// </summary>
    public static string Upsert(string table) =>
        $"INSERT INTO {table} AS t (view_name, entity_key, event_ts, schema_fp, feature_values) " +
        "SELECT DISTINCT ON (u.k) @view, u.k, u.ts, @fp, u.v FROM unnest(@keys, @ts, @values) WITH ORDINALITY AS u(k, ts, v, n) " +
        "ORDER BY u.k, u.ts DESC, u.n DESC " +
        "ON CONFLICT (view_name, entity_key) DO UPDATE SET event_ts = excluded.event_ts, schema_fp = excluded.schema_fp, feature_values = excluded.feature_values " +
        "WHERE excluded.event_ts >= t.event_ts OR t.schema_fp <> excluded.schema_fp";

    /// <summary>Every requested (view, key) pair in one round trip.</summary>
    public static string Select(string table) =>
        $"SELECT view_name, entity_key, event_ts, schema_fp, feature_values FROM {table} WHERE view_name = ANY(@views) AND entity_key = ANY(@keys)";
}
