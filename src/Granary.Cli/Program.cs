using System.CommandLine;
using Granary.Cli;
using Granary.Cli.Commands;

var root = new RootCommand("granary: a feature store for .NET. Define features once; train and serve from the same definitions.")
{
    CliOptions.Repo,
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
    VersionCommand.Create(),
})
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
