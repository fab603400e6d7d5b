using System.CommandLine;
using Granary.Registry;

namespace Granary.Cli.Commands;

/// <summary><c>granary describe KIND NAME</c>: one registered object as JSON.</summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var kind = DefinitionKinds.Argument();
        var name = new Argument<string>("name") { Description = "The object's name" };

        // JSON is describe's one form (the registry's), for people and scripts alike; --format json says so explicitly.
        var format = new Option<string>("--format") { Description = "json, the registry's form (the only one)", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json");
        var command = new Command("describe", "Show one registered object as JSON") { kind, name, format };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            var snapshot = await store.GetSnapshotAsync(cancellationToken);
            var wanted = parse.GetValue(name)!;
            var definition = DefinitionKinds.Select(snapshot.Definitions, parse.GetValue(kind)!).FirstOrDefault(d => d.Name == wanted)
                ?? throw new GranaryException($"no {parse.GetValue(kind)} named '{wanted}' in project '{store.Project}'");
            Console.WriteLine(RegistryJson.SerializeDefinition(definition, store.SourceKinds));
            return 0;
        }));
        return command;
    }
}
