namespace Granary.Postgres;

/// <summary>Options of the PostgreSQL offline store.</summary>
public sealed class PostgresOfflineStoreOptions : PostgresOptions
{
    /// <summary>Rows per Arrow batch handed to callers and per Parquet row group; default 65,536, valid 1 to 1,048,576.</summary>
    public int BatchSize { get; set; } = 65_536;
}
