using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.Postgres;

/// <summary>Options of the PostgreSQL offline store: <c>offline_store: { type: postgres, ... }</c>.</summary>
public sealed class PostgresOfflineStoreOptions : PostgresOptions
{
    /// <summary>Rows per Arrow batch handed to callers and per Parquet row group (<c>batch_size</c>); default 65,536, valid 1 to 1,048,576.</summary>
    [YamlKey("batch_size")]
    [Range(1, 1_048_576)]
    public int BatchSize { get; set; } = 65_536;
}
