using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Granary.Definitions;
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
        var force = new Option<bool>("--force") { Description = "Replace the output file if it exists (never a source file of the repo or the entity input)" };
        var command = new Command("get-historical-features", "Write point-in-time-correct training data for entity rows to a file")
        {
            entities, entitiesSql, allEntities, asOf, features, service, fullNames, timestampColumn, output, force,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var input = EntityInputOf(parse.GetValue(entities), parse.GetValue(entitiesSql), parse.GetValue(allEntities), parse.GetValue(asOf));
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var path = parse.GetValue(output)!;
            var outputOptions = new ResultFileOptions
            {
                Overwrite = parse.GetValue(force),
                Protected = ProtectedFiles(store.Config.RepoPath, (await store.GetSnapshotAsync(cancellationToken)).Definitions, input),
            };

            // Before the join runs: a wrong --output should not cost the time of the join.
            ResultFile.Check(path, outputOptions);
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
            var rows = await result.WriteAsync(path, outputOptions, cancellationToken);
            CommandRunner.Info($"Wrote {rows} rows to {path} in {clock.Elapsed.TotalSeconds:0.00} s.");
            return 0;
        }));
        return command;
    }

    /// <summary>Feature references from repeated and comma-separated values.</summary>
    public static IReadOnlyList<string> SplitReferences(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    /// <summary>The files an output must never replace: the entity input and every file of the repo's file sources.</summary>
    private static IReadOnlyList<ProtectedFile> ProtectedFiles(string repoPath, DefinitionSet definitions, EntityInput input)
    {
        var files = definitions.Sources.OfType<FileSource>()
            .Select(s => new ProtectedFile(repoPath, s.Path, $"a file of file_source '{s.Name}' ({s.Path})"))
            .ToList();
        if (input is EntityFile file)
        {
            files.Add(ProtectedFile.Of(file.Path, "the entity input (--entities)"));
        }

        return files;
    }

    public static EntityInput EntityInputOf(string? file, string? sql, bool all, string? asOf)
    {
        var given = (file is null ? 0 : 1) + (sql is null ? 0 : 1) + (all ? 1 : 0);
        if (given != 1)
        {
            throw new UsageException("give exactly one of --entities FILE, --entities-sql QUERY or --all-entities --as-of TIME");
        }

        if (all)
        {
            return EntityInput.AllAsOf(ParseTime(asOf ?? throw new UsageException("--all-entities needs --as-of TIME"), "--as-of"));
        }

        if (asOf is not null)
        {
            throw new UsageException("--as-of goes with --all-entities only");
        }

        return file is not null ? EntityInput.FromFile(Path.GetFullPath(file)) : EntityInput.FromSql(sql!);
    }

    /// <summary>Parses an ISO-8601 time; without an offset it is UTC.</summary>
    public static DateTimeOffset ParseTime(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new UsageException($"{option}: '{text}' is not a time; expected ISO-8601 such as 2021-04-12T10:00:00Z");
}
