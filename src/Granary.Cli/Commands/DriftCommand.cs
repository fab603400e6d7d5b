using System.CommandLine;
using Granary.Drift;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary drift</c>: how far features' current values moved from a reference (PSI, Kolmogorov-Smirnov,
/// Jensen-Shannon), each side a <see cref="DriftSpec"/>; exits 1 when a feature is in <c>drift</c>.
/// </summary>
internal static class DriftCommand
{
    private const string SpecHelp = "source:START..END, dataset:NAME or logs:SERVICE[:START..END]";

    public static Command Create()
    {
        var reference = new Option<string>("--reference") { Description = $"The reference values: {SpecHelp}", Required = true };
        var current = new Option<string>("--current") { Description = $"The current values: {SpecHelp}", Required = true };
        var features = StatsCommand.FeaturesOption();
        var service = StatsCommand.ServiceOption();
        var output = ReportOutput.Create("drift.html");
        var format = CliOptions.Format(text: "table", defaultFormat: "table");
        var command = new Command("drift", "Measure how far features' current values moved from reference values (ok, warn or drift per feature)")
        {
            reference, current, features, service, output, format,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var referenceSpec = Spec(parse.GetValue(reference)!, "--reference");
            var currentSpec = Spec(parse.GetValue(current)!, "--current");
            var (references, name) = StatsCommand.Selection(parse.GetValue(features), parse.GetValue(service));
            var path = parse.GetValue(output);
            ReportOutput.Check(path);
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var report = await store.ComputeDriftAsync(referenceSpec, currentSpec, references, name, cancellationToken);
            if (path is not null)
            {
                await ReportOutput.WriteAsync(path, report, cancellationToken);
            }

            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(DriftReportJson.Serialize(report));
            }
            else
            {
                CommandRunner.Info($"reference: {report.Reference}; current: {report.Current}");
                var table = new Table().AddColumns("FEATURE", "KIND", "PSI", "KS D", "KS P", "JS", "STATUS");
                foreach (var f in report.Features)
                {
                    table.AddRow(
                        Markup.Escape(f.Feature), f.Kind, StatsCommand.Number(f.Psi), StatsCommand.Number(f.KsD), StatsCommand.Number(f.KsP),
                        StatsCommand.Number(f.Js), f.Status);
                }

                CommandRunner.Out.Write(table);
                StatsCommand.PrintSkipped(report.Skipped);
                CommandRunner.Info(
                    $"{report.Features.Count(f => f.Status == FeatureDrift.Ok)} ok, {report.Features.Count(f => f.Status == FeatureDrift.Warn)} warn, " +
                    $"{report.Features.Count(f => f.Status == FeatureDrift.Drifted)} drift.");
            }

            return report.AnyDrift ? ExitCodes.UserError : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A spec is part of the command line: a malformed one is a usage error (2).</summary>
    private static DriftSpec Spec(string text, string option)
    {
        try
        {
            return DriftSpec.Parse(text, option);
        }
        catch (GranaryException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
