using System.CommandLine;
using Granary.Definitions;
using Granary.Postgres;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary><c>granary list KIND</c>: the registered objects of a kind.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var kind = DefinitionKinds.Argument();
        var format = CliOptions.Format(text: "table", defaultFormat: "table");
        var command = new Command("list", "List registered objects of a kind") { kind, format };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var snapshot = await store.GetSnapshotAsync(cancellationToken);
            var definitions = DefinitionKinds.Select(snapshot.Definitions, parse.GetValue(kind)!);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonOutput.List(definitions, store.SourceKinds));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("NAME", "DETAILS", "DESCRIPTION");
            foreach (var definition in definitions)
            {
                table.AddRow(Markup.Escape(definition.Name), Markup.Escape(Details(definition)), Markup.Escape(definition.Description ?? string.Empty));
            }

            CommandRunner.Out.Write(table);
            return 0;
        }));
        return command;
    }

    private static string Details(Definition definition) => definition switch
    {
        Entity e => $"join keys: {string.Join(", ", e.JoinKeys)} ({e.ValueType})",
        FileSource s => $"file: {s.Path}",
        PostgresSource s => s.Table is not null ? $"table: {s.Table}" : "query",
        PushSource s => $"push, batch source: {s.BatchSource}",
        DataSource s => s.Kind,
        FeatureView v => $"entities: {string.Join(", ", v.Entities)}; ttl: {Duration.Format(v.Ttl)}; {v.Schema.Count} features{(v.Online ? "; online" : string.Empty)}",
        OnDemandFeatureView v => $"sources: {string.Join(", ", v.Sources)}; {v.Schema.Count} features",
        RequestSource r => string.Join(", ", r.Schema.Select(f => $"{f.Name}: {f.Dtype}")),
        FeatureService s => string.Join(", ", s.Features.Select(p => p.Features is null ? p.View : $"{p.View}[{string.Join(", ", p.Features)}]")),
        _ => string.Empty,
    };
}
