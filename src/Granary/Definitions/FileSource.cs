namespace Granary.Definitions;

/// <summary>A source in Parquet or CSV files, read by the DuckDB offline store.</summary>
public sealed record FileSource : DataSource
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "file_source";

    /// <summary>The file, relative to the repo root; a glob may match several files of one format.</summary>
    public required string Path { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
