using System.CommandLine;
using Granary.Materialization;

namespace Granary.Cli.Commands;

/// <summary><c>granary materialize START END</c> and <c>granary materialize-incremental END</c>.</summary>
internal static class MaterializeCommand
{
    public static Command Create()
    {
        var start = new Argument<string>("start") { Description = "Interval start, inclusive (ISO-8601; UTC without an offset)" };
        var end = new Argument<string>("end") { Description = "Interval end, inclusive" };
        var views = ViewsOption();
        var format = CliOptions.Format();
        var command = new Command("materialize", "Load the latest values per entity key with START <= event time <= END into the online store")
        {
            start, end, views, format,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var from = GetHistoricalFeaturesCommand.ParseTime(parse.GetValue(start)!, "START");
            var to = GetHistoricalFeaturesCommand.ParseTime(parse.GetValue(end)!, "END");
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var selected = GetHistoricalFeaturesCommand.SplitReferences(parse.GetValue(views));
            var done = await MaterializationDisplay.RunAsync(parse.GetValue(format)!, progress => store.MaterializeAsync(from, to, selected, progress, cancellationToken));
            MaterializationDisplay.Summarize(parse.GetValue(format)!, done);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateIncremental()
    {
        var end = new Argument<string>("end") { Description = "Interval end, inclusive (ISO-8601; UTC without an offset)" };
        var views = ViewsOption();
        var format = CliOptions.Format();
        var command = new Command("materialize-incremental", "Materialize each view from where its last run ended (or END minus its ttl) up to END")
        {
            end, views, format,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var to = GetHistoricalFeaturesCommand.ParseTime(parse.GetValue(end)!, "END");
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var selected = GetHistoricalFeaturesCommand.SplitReferences(parse.GetValue(views));
            var done = await MaterializationDisplay.RunAsync(parse.GetValue(format)!, progress => store.MaterializeIncrementalAsync(to, selected, progress, cancellationToken));
            MaterializationDisplay.Summarize(parse.GetValue(format)!, done);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Option<string[]> ViewsOption() =>
        new("--views") { Description = "Only these feature or aggregation views (comma-separated or repeated); all online views by default", AllowMultipleArgumentsPerToken = true };
}
