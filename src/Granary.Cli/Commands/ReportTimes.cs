using System.CommandLine;

namespace Granary.Cli.Commands;

/// <summary>The <c>--start</c> and <c>--end</c> of the reports: ISO-8601 times, UTC without an offset, either may be left out.</summary>
internal static class ReportTimes
{
    public static Option<string?> Start(string what) => new("--start") { Description = $"The first {what} included (ISO-8601; without an offset it is UTC); open when left out" };

    public static Option<string?> End(string what) => new("--end") { Description = $"The last {what} included (ISO-8601; without an offset it is UTC); open when left out" };

    public static (DateTimeOffset? Start, DateTimeOffset? End) Parse(string? start, string? end)
    {
        DateTimeOffset? from = start is null ? null : GetHistoricalFeaturesCommand.ParseTime(start, "--start");
        DateTimeOffset? to = end is null ? null : GetHistoricalFeaturesCommand.ParseTime(end, "--end");
        return from > to ? throw new UsageException($"--end: {end} is before --start {start}") : (from, to);
    }
}
