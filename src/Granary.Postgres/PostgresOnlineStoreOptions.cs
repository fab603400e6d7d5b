using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.Postgres;

/// <summary>Options of the PostgreSQL online store: <c>online_store: { type: postgres, ... }</c>.</summary>
public sealed class PostgresOnlineStoreOptions : PostgresOptions
{
    /// <summary>
    /// The schema that holds the store's tables (<c>schema</c>), created if missing; default null: the
    /// first schema of the connection's search path (usually <c>public</c>). Any name is quoted.
    /// </summary>
    [YamlKey("schema")]
    public string? Schema { get; set; }

    /// <summary>Rows sent per upsert statement by a write (<c>rows_per_statement</c>); default 10,000, valid 1 to 1,000,000.</summary>
    [YamlKey("rows_per_statement")]
    [Range(1, 1_000_000)]
    public int RowsPerStatement { get; set; } = 10_000;
}
