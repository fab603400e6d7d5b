using System.CommandLine;
using Granary.Offline;
using Granary.Online;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary><c>granary get-online-features</c>: the latest values of entity rows from the online store.</summary>
internal static class GetOnlineFeaturesCommand
{
    public static Command Create()
    {
        var features = new Option<string[]>("--features", "-f") { Description = "Feature references view:feature, comma-separated or repeated", AllowMultipleArgumentsPerToken = true };
        var service = new Option<string?>("--feature-service") { Description = "A feature service instead of --features" };
        var entity = new Option<string[]>("--entity", "-e") { Description = "An entity row as key=value[,key=value]; repeat for more rows" };
        var entities = new Option<string?>("--entities") { Description = "Entity rows from a .csv or .parquet file, a column per join key" };
        var fullNames = new Option<bool>("--full-feature-names") { Description = "Name features view__feature" };
        var format = new Option<string>("--format") { Description = "json (Feast's response body) or table", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "table");
        var command = new Command("get-online-features", "Read the latest feature values of entity rows from the online store")
        {
            features, service, entity, entities, fullNames, format,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var rows = await EntityColumnsAsync(parse.GetValue(entity) ?? [], parse.GetValue(entities), cancellationToken);
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var response = await store.GetOnlineFeaturesAsync(
                new OnlineFeaturesRequest
                {
                    Features = GetHistoricalFeaturesCommand.SplitReferences(parse.GetValue(features)),
                    FeatureService = parse.GetValue(service),
                    Entities = rows,
                    FullFeatureNames = parse.GetValue(fullNames),
                },
                cancellationToken);
            if (parse.GetValue(format) == "table")
            {
                WriteTable(response);
            }
            else
            {
                Console.WriteLine(OnlineResponseJson.Serialize(response));
            }

            return 0;
        }));
        return command;
    }

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<object?>>> EntityColumnsAsync(
        string[] pairs, string? file, CancellationToken cancellationToken)
    {
        if ((pairs.Length > 0) == (file is not null))
        {
            throw new UsageException("give entity rows with --entity key=value (repeatable) or --entities FILE, not both or neither");
        }

        var columns = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
        if (file is not null)
        {
            // The one entity-file reader of every offline store: the same file gives the same keys
            // whatever the repo's offline store is.
            await using var reader = await EntityFileReader.OpenAsync(Path.GetFullPath(file), cancellationToken);
            await foreach (var batch in reader.ReadAsync(cancellationToken: cancellationToken))
            {
                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    var list = GetOrAdd(columns, batch.Schema.GetFieldByIndex(c).Name);
                    for (var r = 0; r < batch.Length; r++)
                    {
                        list.Add(ArrowBatches.GetValue(batch.Column(c), r));
                    }
                }
            }
        }

        for (var row = 0; row < pairs.Length; row++)
        {
            foreach (var pair in pairs[row].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new UsageException($"--entity '{pairs[row]}': expected key=value[,key=value]");
                }

                var list = GetOrAdd(columns, pair[..equals]);
                if (list.Count != row)
                {
                    throw new UsageException($"--entity '{pairs[row]}': every row must give the same keys");
                }

                list.Add(pair[(equals + 1)..]);
            }
        }

        if (columns.Values.Any(c => c.Count != columns.Values.First().Count))
        {
            throw new UsageException("every entity row must give the same keys");
        }

        return columns.ToDictionary(c => c.Key, c => (IReadOnlyList<object?>)c.Value);
    }

    private static List<object?> GetOrAdd(Dictionary<string, List<object?>> columns, string name)
    {
        if (!columns.TryGetValue(name, out var list))
        {
            list = [];
            columns[name] = list;
        }

        return list;
    }

    private static void WriteTable(OnlineResponse response)
    {
        var table = new Table();
        foreach (var name in response.FeatureNames)
        {
            table.AddColumn(Markup.Escape(name));
        }

        var rows = response.Results.Count == 0 ? 0 : response.Results[0].Values.Length;
        for (var r = 0; r < rows; r++)
        {
            table.AddRow(response.Results.Select(c => Markup.Escape(Cell(c, r))).ToArray());
        }

        CommandRunner.Out.Write(table);
    }

    private static string Cell(OnlineFeatureColumn column, int row)
    {
        var value = column.Values[row] switch
        {
            null => "null",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var v => v.ToString() ?? string.Empty,
        };
        return column.Statuses[row] == FeatureStatus.Present ? value : $"{value} ({OnlineResponseJson.StatusName(column.Statuses[row])})";
    }
}
