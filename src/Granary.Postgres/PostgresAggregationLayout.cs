using System.Security.Cryptography;
using System.Text;

namespace Granary.Postgres;

/// <summary>
/// The table of aggregation states in the PostgreSQL online store: one per project, one row per
/// (aggregation view, entity key) with the state's bytes. An empty <c>state</c> is no state: a row
/// an update inserted to lock the key (see <see cref="Lock"/>), or a state that became empty.
/// </summary>
internal static class PostgresAggregationLayout
{
    /// <summary>A readable, unique table name under PostgreSQL's 63-byte limit, beside the project's feature table.</summary>
    public static string TableName(string project)
    {
        var readable = new string(project.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? char.ToLowerInvariant(c) : '_').Take(32).ToArray());
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(project));
        return $"granary_agg_{readable}_{Convert.ToHexStringLower(hash, 0, 4)}";
    }

    public static string CreateTable(string table) =>
        $"CREATE TABLE IF NOT EXISTS {table} (view_name text NOT NULL, entity_key bytea NOT NULL, state bytea NOT NULL, PRIMARY KEY (view_name, entity_key))";

    /// <summary>
    /// Makes sure every key has a row, so that <see cref="Lock"/> can lock it: a row lock, unlike an
    /// advisory lock, takes no slot of the server's shared lock table however many keys a batch holds.
    /// </summary>
    public static string Placeholders(string table) =>
        $"INSERT INTO {table} (view_name, entity_key, state) SELECT @view, k, ''::bytea FROM unnest(@keys) AS u(k) ON CONFLICT DO NOTHING";

    /// <summary>Locks and reads the keys' rows, in key order so that concurrent batches wait rather than deadlock.</summary>
    public static string Lock(string table) =>
        $"SELECT entity_key, state FROM {table} WHERE view_name = @view AND entity_key = ANY(@keys) ORDER BY entity_key FOR UPDATE";

    public static string Write(string table) =>
        $"UPDATE {table} AS t SET state = u.s FROM unnest(@keys, @states) AS u(k, s) WHERE t.view_name = @view AND t.entity_key = u.k";

    public static string Select(string table) =>
        $"SELECT entity_key, state FROM {table} WHERE view_name = @view AND entity_key = ANY(@keys) AND length(state) > 0";

    public static string DeleteView(string table) => $"DELETE FROM {table} WHERE view_name = @view";
}
