using System.CommandLine;
using System.Globalization;
using Granary.Statistics;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary><c>granary stats</c>: features' statistics over their source rows in an event-time range, computed in the offline store.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var features = FeaturesOption();
        var service = ServiceOption();
        var start = ReportTimes.Start("event time");
        var end = ReportTimes.End("event time");
        var output = ReportOutput.Create("stats.html");
        var format = CliOptions.Format(text: "table", defaultFormat: "table");
        var command = new Command("stats", "Describe features' values: counts, nulls, quantiles, histograms and top values")
        {
            features, service, start, end, output, format,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var (references, name) = Selection(parse.GetValue(features), parse.GetValue(service));
            var (from, to) = ReportTimes.Parse(parse.GetValue(start), parse.GetValue(end));
            var path = parse.GetValue(output);
            ReportOutput.Check(path);
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var report = await store.ComputeStatisticsAsync(references, name, from, to, cancellationToken);
            if (path is not null)
            {
                await ReportOutput.WriteAsync(path, report, cancellationToken);
            }

            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(StatisticsReportJson.Serialize(report));
                return ExitCodes.Ok;
            }

            CommandRunner.Info(report.Input);
            var table = new Table().AddColumns("FEATURE", "COUNT", "NULLS", "DISTINCT", "MIN", "P50", "MAX", "MEAN");
            foreach (var f in report.Features)
            {
                table.AddRow(
                    Markup.Escape(f.Feature), f.Count.ToString(CultureInfo.InvariantCulture), f.Nulls.ToString(CultureInfo.InvariantCulture), f.Distinct?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    Number(f.Min), Number(f.Quantiles.TryGetValue("p50", out var p50) ? p50 : null), Number(f.Max), Number(f.Mean));
            }

            CommandRunner.Out.Write(table);
            PrintSkipped(report.Skipped);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Option<string[]> FeaturesOption() =>
        new("--features", "-f") { Description = "Feature references view:feature, comma-separated or repeated", AllowMultipleArgumentsPerToken = true };

    public static Option<string?> ServiceOption() => new("--feature-service") { Description = "A feature service instead of --features" };

    /// <summary>Exactly one of <c>--features</c> and <c>--feature-service</c>.</summary>
    public static (IReadOnlyList<string>? Features, string? Service) Selection(string[]? features, string? service)
    {
        var references = GetHistoricalFeaturesCommand.SplitReferences(features);
        return (references.Count > 0, service is not null) switch
        {
            (true, false) => (references, null),
            (false, true) => (null, service),
            _ => throw new UsageException("give exactly one of --features view:feature,... or --feature-service NAME"),
        };
    }

    public static void PrintSkipped(IReadOnlyList<SkippedFeature> skipped)
    {
        foreach (var s in skipped)
        {
            CommandRunner.Info($"skipped {s.Feature}: {s.Reason}");
        }
    }

    public static string Number(double? value) => value is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
