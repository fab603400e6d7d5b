namespace Granary.Statistics;

/// <summary>
/// Where the values described come from: a source's rows in an event-time range (<see cref="SourceRows"/>),
/// Parquet files such as a saved dataset or served-feature logs (<see cref="FileRows"/>), or a table of the
/// offline store (<see cref="TableRows"/>). Each offline store turns an input into a relation of its own.
/// </summary>
public abstract record StatisticsInput
{
    /// <summary>How the input reads in a report: <c>source driver_stats 2024-01-01T00:00:00Z..2024-01-08T00:00:00Z</c>.</summary>
    public abstract string Describe();

    /// <summary>A range as reports write it: either end may be open.</summary>
    protected static string Range(DateTimeOffset? start, DateTimeOffset? end) =>
        start is null && end is null ? "all rows" : $"{Format(start)}..{Format(end)}";

    private static string Format(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
