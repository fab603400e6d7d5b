using System.CommandLine;
using Granary.Repo;

namespace Granary.Cli.Commands;

/// <summary><c>granary plan</c>: validates the repo and shows what apply would change; changes nothing.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var command = new Command("plan", "Validate the feature repo and show what 'apply' would create, update and delete");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var repo = parse.GetValue(CliOptions.Repo)!;
            await using var store = Stores.Open(repo);
            var plan = await store.PlanAsync(FeatureRepo.LoadDefinitions(repo, store.SourceKinds), cancellationToken);
            DiffPrinter.Print(plan.Diff);
            return 0;
        }));
        return command;
    }
}
