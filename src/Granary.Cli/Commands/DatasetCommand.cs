using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Datasets;
using Granary.Offline;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary dataset create|list|describe|verify|delete</c>: training data saved with a manifest in the registry,
/// described, recomputed and compared (exit 1 when it changed), and removed.
/// </summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var command = new Command("dataset", "Saved datasets: training data recorded with its manifest, to verify later and to use as a drift reference");
        command.Subcommands.Add(CreateCommand());
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(DescribeCommand());
        command.Subcommands.Add(VerifyCommand());
        command.Subcommands.Add(DeleteCommand());
        return command;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The dataset's name" };

    private static Command CreateCommand()
    {
        var name = NameArgument();
        var entities = new Option<string?>("--entities") { Description = "Entity rows: a .parquet or .csv file with the join keys and a timestamp column" };
        var entitiesSql = new Option<string?>("--entities-sql") { Description = "Entity rows from a query run by the offline store" };
        var allEntities = new Option<bool>("--all-entities") { Description = "Every entity key in the views' sources, looked up at --as-of" };
        var asOf = new Option<string?>("--as-of") { Description = "The time for --all-entities (ISO-8601; without an offset it is UTC)" };
        var features = StatsCommand.FeaturesOption();
        var service = StatsCommand.ServiceOption();
        var timestampColumn = new Option<string>("--timestamp-column") { Description = "The entity rows' time column", DefaultValueFactory = _ => HistoricalRequest.DefaultTimestampColumn };
        var output = new Option<string?>("--output", "-o") { Description = "The Parquet file to write (default data/datasets/NAME/data.parquet under the repo); it must not exist" };
        var command = new Command("create", "Write training data to Parquet and record it as a saved dataset")
        {
            name, entities, entitiesSql, allEntities, asOf, features, service, timestampColumn, output,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var input = GetHistoricalFeaturesCommand.EntityInputOf(parse.GetValue(entities), parse.GetValue(entitiesSql), parse.GetValue(allEntities), parse.GetValue(asOf));
            var (references, serviceName) = StatsCommand.Selection(parse.GetValue(features), parse.GetValue(service));
            var path = parse.GetValue(output);
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var dataset = await store.CreateDatasetAsync(
                new DatasetRequest
                {
                    Name = parse.GetValue(name)!,
                    Entities = input,
                    Features = references,
                    FeatureService = serviceName,
                    Output = path is null ? null : Path.GetFullPath(path),
                    TimestampColumn = parse.GetValue(timestampColumn)!,
                },
                cancellationToken);
            CommandRunner.Info($"Saved dataset '{dataset.Name}': {dataset.Rows} rows, {dataset.Features.Count} features, in {dataset.Path}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var format = CliOptions.Format(text: "table", defaultFormat: "table");
        var command = new Command("list", "List the project's saved datasets") { format };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var datasets = await store.Registry.ListDatasetsAsync(store.Project, cancellationToken);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(new JsonArray(datasets.Select(d => JsonNode.Parse(DatasetJson.Describe(d))).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("NAME", "CREATED", "ROWS", "FEATURES", "PATH");
            foreach (var d in datasets)
            {
                table.AddRow(
                    Markup.Escape(d.Name), Online.OnlineResponseJson.FormatTime(d.CreatedAt), d.Rows.ToString(CultureInfo.InvariantCulture),
                    d.Features.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(d.Path));
            }

            CommandRunner.Out.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command DescribeCommand()
    {
        var name = NameArgument();
        var command = new Command("describe", "Print a saved dataset's manifest as JSON") { name };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var dataset = await Find(store, parse.GetValue(name)!, cancellationToken);
            Console.WriteLine(DatasetJson.Describe(dataset));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command VerifyCommand()
    {
        var name = NameArgument();
        var format = CliOptions.Format();
        var command = new Command("verify", "Recompute a saved dataset and compare it with what was recorded; exit 1 when the data changed") { name, format };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            await Find(store, parse.GetValue(name)!, cancellationToken);
            var verification = await store.VerifyDatasetAsync(parse.GetValue(name)!, cancellationToken);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(DatasetJson.Verification(verification));
            }
            else if (verification.Matches)
            {
                CommandRunner.Info($"ok: dataset '{verification.Name}' recomputes to the same {verification.RecomputedRows} rows.");
            }
            else
            {
                // The finding is the result, so it goes to stdout even with --quiet.
                Console.WriteLine($"dataset '{verification.Name}' changed: {verification.RecordedRows} rows recorded, {verification.RecomputedRows} recomputed.");
                foreach (var column in verification.Columns.Where(c => c.ChangedRows > 0))
                {
                    Console.WriteLine($"  {column.Column}: {column.ChangedRows} rows differ");
                }

                if (verification.EntityFileChanged == true)
                {
                    Console.WriteLine("  the entity file changed since the dataset was created");
                }
            }

            return verification.Matches ? ExitCodes.Ok : ExitCodes.UserError;
        }));
        return command;
    }

    private static Command DeleteCommand()
    {
        var name = NameArgument();
        var command = new Command("delete", "Remove a saved dataset: its manifest and its data file") { name };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var dataset = parse.GetValue(name)!;
            if (!await store.DeleteDatasetAsync(dataset, cancellationToken))
            {
                throw NotFound(store, dataset);
            }

            CommandRunner.Info($"Deleted dataset '{dataset}'.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<SavedDataset> Find(FeatureStore store, string name, CancellationToken cancellationToken) =>
        await store.Registry.GetDatasetAsync(store.Project, name, cancellationToken) ?? throw NotFound(store, name);

    private static GranaryException NotFound(FeatureStore store, string name) =>
        new($"project '{store.Project}' has no dataset '{name}' (granary dataset list shows those it has)");
}
