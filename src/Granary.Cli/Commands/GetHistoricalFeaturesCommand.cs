using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Granary.Offline;

namespace Granary.Cli.Commands;

/// <summary><c>granary get-historical-features</c>: point-in-time-correct training data to a Parquet or CSV file.</summary>
internal static class GetHistoricalFeaturesCommand
{
    public static Command Create()
    {
        var entities = new Option<string?>("--entities") { Description = "Entity rows: a .parquet or .csv file with the join keys and a timestamp column" };
        var entitiesSql = new Option<string?>("--entities-sql") { Description = "Entity rows from a query run by the offline store" };
        var allEntities = new Option<bool>("--all-entities") { Description = "Every entity key in the views' sources, looked up at --as-of" };
        var asOf = new Option<string?>("--as-of") { Description = "The time for --all-entities (ISO-8601; without an offset it is UTC)" };
        var features = new Option<string[]>("--features", "-f") { Description = "Feature references view:feature, comma-separated or repeated", AllowMultipleArgumentsPerToken = true };
        var service = new Option<string?>("--feature-service") { Description = "A feature service instead of --features" };
        var fullNames = new Option<bool>("--full-feature-names") { Description = "Name feature columns view__feature" };
        var timestampColumn = new Option<string>("--timestamp-column") { Description = "The entity rows' time column", DefaultValueFactory = _ => HistoricalRequest.DefaultTimestampColumn };
        var output = new Option<string>("--output", "-o") { Description = "The output file, .parquet or .csv", Required = true };
        var command = new Command("get-historical-features", "Write point-in-time-correct training data for entity rows to a file")
        {
            entities, entitiesSql, allEntities, asOf, features, service, fullNames, timestampColumn, output,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var input = EntityInputOf(parse.GetValue(entities), parse.GetValue(entitiesSql), parse.GetValue(allEntities), parse.GetValue(asOf));
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var clock = Stopwatch.StartNew();
            await using var result = await store.GetHistoricalFeaturesAsync(
                new HistoricalFeaturesRequest
                {
                    Entities = input,
                    Features = SplitReferences(parse.GetValue(features)),
                    FeatureService = parse.GetValue(service),
                    FullFeatureNames = parse.GetValue(fullNames),
                    TimestampColumn = parse.GetValue(timestampColumn)!,
                },
                cancellationToken);
            var path = parse.GetValue(output)!;
            var rows = await result.WriteAsync(path, cancellationToken);
            Console.WriteLine($"Wrote {rows} rows to {path} in {clock.Elapsed.TotalSeconds:0.00} s.");
            return 0;
        }));
        return command;
    }

    /// <summary>Feature references from repeated and comma-separated values.</summary>
    public static IReadOnlyList<string> SplitReferences(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static EntityInput EntityInputOf(string? file, string? sql, bool all, string? asOf)
    {
        var given = (file is null ? 0 : 1) + (sql is null ? 0 : 1) + (all ? 1 : 0);
        if (given != 1)
        {
            throw new GranaryException("give exactly one of --entities FILE, --entities-sql QUERY or --all-entities --as-of TIME");
        }

        if (all)
        {
            return EntityInput.AllAsOf(ParseTime(asOf ?? throw new GranaryException("--all-entities needs --as-of TIME"), "--as-of"));
        }

        if (asOf is not null)
        {
            throw new GranaryException("--as-of goes with --all-entities only");
        }

        return file is not null ? EntityInput.FromFile(Path.GetFullPath(file)) : EntityInput.FromSql(sql!);
    }

    /// <summary>Parses an ISO-8601 time; without an offset it is UTC.</summary>
    public static DateTimeOffset ParseTime(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new GranaryException($"{option}: '{text}' is not a time; expected ISO-8601 such as 2021-04-12T10:00:00Z");
}
