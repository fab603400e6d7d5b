using System.CommandLine;
using System.Globalization;
using Granary.Skew;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary skew</c>: what a feature service served (its logs) against training data at the same instants, per
/// feature; exits 1 when a feature's mismatch rate is above <c>--max-mismatch-rate</c>.
/// </summary>
internal static class SkewCommand
{
    public static Command Create()
    {
        var service = new Option<string>("--feature-service") { Description = "The feature service whose logged reads are compared (it needs logging:)", Required = true };
        var start = ReportTimes.Start("read time (__log_timestamp)");
        var end = ReportTimes.End("read time (__log_timestamp)");
        var output = ReportOutput.Create("skew.html");
        var maxRate = new Option<string?>("--max-mismatch-rate") { Description = "Exit 1 when a feature's mismatch rate is above this, from 0 to 1 (default 0: any mismatch)" };
        var format = CliOptions.Format(text: "table", defaultFormat: "table");
        var command = new Command("skew", "Compare a feature service's served values (its logs) with training data at the same instants")
        {
            service, start, end, output, maxRate, format,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var (from, to) = ReportTimes.Parse(parse.GetValue(start), parse.GetValue(end));
            var limit = ParseRate(parse.GetValue(maxRate));
            var path = parse.GetValue(output);
            ReportOutput.Check(path);
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var report = await store.ComputeSkewAsync(parse.GetValue(service)!, from, to, cancellationToken);
            if (path is not null)
            {
                await ReportOutput.WriteAsync(path, report, cancellationToken);
            }

            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(SkewReportJson.Serialize(report));
            }
            else
            {
                Print(report, limit);
            }

            return report.Above(limit).Count > 0 ? ExitCodes.UserError : ExitCodes.Ok;
        }));
        return command;
    }

    private static double ParseRate(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1
            ? rate
            : throw new UsageException($"--max-mismatch-rate: '{text}' is not a rate; expected a number from 0 to 1, such as 0.01");
    }

    /// <summary>The features worst first, then one line that says whether the check passed.</summary>
    private static void Print(SkewReport report, double limit)
    {
        CommandRunner.Info(report.Rows == 0
            ? $"No logged rows of '{report.FeatureService}' in the range."
            : $"{report.Rows} logged rows of '{report.FeatureService}' from {Time(report.Start)} to {Time(report.End)}.");
        var table = new Table().AddColumns("FEATURE", "COMPARED", "RATE", "SMAPE", "MISMATCHES BY CAUSE");
        foreach (var f in report.Features.OrderByDescending(f => f.MismatchRate))
        {
            table.AddRow(
                Markup.Escape(f.Feature), Number(f.Compared), f.MismatchRate.ToString("0.####", CultureInfo.InvariantCulture),
                f.Smape is { } smape ? smape.ToString("0.####", CultureInfo.InvariantCulture) : "-", Causes(f.Causes));
        }

        CommandRunner.Out.Write(table);
        var above = report.Above(limit);
        CommandRunner.Info(above.Count == 0
            ? $"ok: no feature's mismatch rate is above {limit.ToString(CultureInfo.InvariantCulture)}."
            : $"{above.Count} feature(s) above the mismatch rate {limit.ToString(CultureInfo.InvariantCulture)}: {string.Join(", ", above.Select(f => f.Feature))}.");
    }

    private static string Causes(SkewCauses causes)
    {
        var named = new[] { ("value_differs", causes.ValueDiffers), ("stale_online", causes.StaleOnline), ("online_only", causes.OnlineOnly), ("offline_only", causes.OfflineOnly) };
        return named.Any(c => c.Item2 > 0) ? string.Join(" ", named.Where(c => c.Item2 > 0).Select(c => $"{c.Item1} {c.Item2}")) : "-";
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? time) => time is { } t ? Online.OnlineResponseJson.FormatTime(t) : "-";
}
