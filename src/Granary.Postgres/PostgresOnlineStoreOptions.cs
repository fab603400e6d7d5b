namespace Granary.Postgres;

/// <summary>Options of the PostgreSQL online store.</summary>
public sealed class PostgresOnlineStoreOptions : PostgresOptions
{
    /// <summary>
    /// The schema that holds the store's tables, created if missing; default null: the first schema
    /// of the connection's search path (usually <c>public</c>). Any name is quoted.
    /// </summary>
    public string? Schema { get; set; }

    /// <summary>Rows sent per upsert statement by a write; default 10,000, valid 1 to 1,000,000.</summary>
    public int RowsPerStatement { get; set; } = 10_000;
}
