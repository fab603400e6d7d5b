using System.CommandLine;
using System.CommandLine.Help;
using Granary.Cli;
using Granary.Cli.Commands;

// A named command rather than RootCommand, whose name would be the dll's (Granary.Cli).
var root = new Command("granary", "granary: a feature store for .NET. Define features once; train and serve from the same definitions.")
{
    CliOptions.Repo,
    new HelpOption(),
    new VersionOption(),
};
foreach (var command in new[]
{
    InitCommand.Create(),
    PlanCommand.Create(),
    ApplyCommand.Create(),
    TeardownCommand.Create(),
    ListCommand.Create(),
    DescribeCommand.Create(),
    GetHistoricalFeaturesCommand.Create(),
    MaterializeCommand.Create(),
    MaterializeCommand.CreateIncremental(),
    GetOnlineFeaturesCommand.Create(),
    ServeCommand.Create(),
    UiCommand.Create(),
    RegistryCommand.Create(),
    VersionCommand.Create(),
})
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
