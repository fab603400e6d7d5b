using System.CommandLine;
using Granary.Registry;

namespace Granary.Cli.Commands;

/// <summary><c>granary describe KIND NAME</c>: one registered object as JSON.</summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = $"One of: {DefinitionKinds.Known}" };
        var name = new Argument<string>("name") { Description = "The object's name" };
        var command = new Command("describe", "Show one registered object as JSON") { kind, name };
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
