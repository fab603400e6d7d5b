using Spectre.Console;
using System.CommandLine;
using Granary.Repo;

namespace Granary.Cli.Commands;

/// <summary><c>granary apply</c>: validates the repo, writes it to the registry and prepares the online store.</summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var command = new Command("apply", "Validate the feature repo and register its definitions (nothing is written when validation fails)");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var repo = parse.GetValue(CliOptions.Repo)!;
            await using var store = Stores.Open(repo, checkServerSection: true);
            var result = await store.ApplyAsync(FeatureRepo.LoadDefinitions(repo, store.SourceKinds), cancellationToken);
            if (CommandRunner.Verbosity != Verbosity.Quiet)
            {
                DiffPrinter.Print(result.Diff);
                CommandRunner.Out.MarkupLineInterpolated($"Applied project [bold]{store.Project}[/] at registry version {result.Version}.");
            }

            return 0;
        }));
        return command;
    }
}
