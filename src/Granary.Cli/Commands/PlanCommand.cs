using System.CommandLine;
using Granary.Repo;

namespace Granary.Cli.Commands;

/// <summary><c>granary plan</c>: validates the repo and shows what apply would change; changes nothing.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var format = CliOptions.Format();
        var command = new Command("plan", "Validate the feature repo and show what 'apply' would create, update and delete") { format };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var repo = parse.GetValue(CliOptions.Repo)!;
            await using var store = Stores.Open(repo, checkServerSection: true);
            var plan = await store.PlanAsync(FeatureRepo.LoadDefinitions(repo, store.SourceKinds), cancellationToken);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonOutput.Plan(store.Project, plan.BaseVersion, plan.Diff));
            }
            else
            {
                DiffPrinter.Print(plan.Diff);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
