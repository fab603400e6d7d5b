namespace Granary.Definitions;

/// <summary>
/// A feature service's served-feature logging (<c>logging: { sample_rate, path | table }</c>): every
/// online read naming the service is logged, one row per entity row, for <c>granary skew</c> and
/// <c>granary drift --current logs:SERVICE</c>. See docs/observability.md.
/// </summary>
public sealed record FeatureLogging
{
    /// <summary>The folder under the repo that logs go to when neither a path nor a table is given.</summary>
    public const string DefaultPath = "data/feature_logs";

    /// <summary>
    /// The share of reads logged, from 0 (none) to 1 (every read; the default). Sampling is by
    /// request: all of a read's entity rows are logged, or none.
    /// </summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>
    /// The folder, relative to the repo, that Parquet log files go to (partitioned by date,
    /// <c>date=YYYY-MM-DD/</c>); <see cref="DefaultPath"/> when neither this nor <see cref="Table"/> is given.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>A table of the offline store (PostgreSQL) that logs go to instead of files; exclusive with <see cref="Path"/>.</summary>
    public string? Table { get; init; }

    /// <summary>The folder logs go to: <see cref="Path"/>, or <see cref="DefaultPath"/>; null when they go to <see cref="Table"/>.</summary>
    public string? Folder => Table is null ? Path ?? DefaultPath : null;
}
