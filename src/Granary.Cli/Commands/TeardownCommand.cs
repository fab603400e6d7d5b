using System.CommandLine;

namespace Granary.Cli.Commands;

/// <summary><c>granary teardown</c>: removes the project's online data and registry entry; source files stay.</summary>
internal static class TeardownCommand
{
    public static Command Create()
    {
        var command = new Command("teardown", "Remove the project's online data and its registry entry (source data is left alone)");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            await using var store = Stores.Open(parse.GetValue(CliOptions.Repo)!);
            await store.TeardownAsync(cancellationToken);
            CommandRunner.Info($"Tore down project '{store.Project}'.");
            return 0;
        }));
        return command;
    }
}
