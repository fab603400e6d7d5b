namespace Granary.Statistics;

/// <summary>
/// The rows of Parquet files (a saved dataset, served-feature logs), their columns matched by name
/// across files; with <paramref name="TimeColumn"/>, only rows whose time is from <paramref name="Start"/>
/// to <paramref name="End"/>, both inclusive.
/// </summary>
/// <param name="Paths">The files, absolute.</param>
/// <param name="What">What the files are, for reports: <c>dataset training_v1</c>.</param>
/// <param name="TimeColumn">The column the range applies to; null for every row.</param>
/// <param name="Start">The first time, inclusive; null for no lower bound.</param>
/// <param name="End">The last time, inclusive; null for no upper bound.</param>
public sealed record FileRows(IReadOnlyList<string> Paths, string What, string? TimeColumn = null, DateTimeOffset? Start = null, DateTimeOffset? End = null) : StatisticsInput
{
    /// <inheritdoc/>
    public override string Describe() => TimeColumn is null ? What : $"{What}, {Range(Start, End)}";
}
