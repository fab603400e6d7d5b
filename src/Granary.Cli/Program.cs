using System.CommandLine;
using System.CommandLine.Help;
using Granary.Cli;
using Granary.Cli.Commands;

// A named command rather than RootCommand, whose name would be the dll's (Granary.Cli).
var root = new Command("granary", "granary: a feature store for .NET. Define features once; train and serve from the same definitions.")
{
    CliOptions.Repo,
    CliOptions.Quiet,
    CliOptions.Verbose,
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
    SkewCommand.Create(),
    StatsCommand.Create(),
    DriftCommand.Create(),
    DatasetCommand.Create(),
    ServeCommand.Create(),
    UiCommand.Create(),
    RegistryCommand.Create(),
    CompletionCommand.Create(),
    VersionCommand.Create(),
})
{
    root.Subcommands.Add(command);
}

if (CompletionCommand.IsRequest(args))
{
    return CompletionCommand.Suggest(root, args);
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
{
    // A wrong command line is a usage error (2), told apart from a failed command (1) for scripts.
    foreach (var error in parse.Errors)
    {
        CommandRunner.WriteError(error.Message);
    }

    Console.Error.WriteLine($"Run '{string.Join(' ', ["granary", .. parse.CommandResult.Command == root ? [] : CommandPath(parse.CommandResult.Command)])} --help' for usage.");
    return ExitCodes.Usage;
}

CommandRunner.Verbosity = parse.GetValue(CliOptions.Verbose) ? Verbosity.Verbose : parse.GetValue(CliOptions.Quiet) ? Verbosity.Quiet : Verbosity.Normal;
try
{
    return await parse.InvokeAsync();
}
finally
{
    CommandRunner.FlushLogs();
}

static IEnumerable<string> CommandPath(Command command)
{
    var names = new List<string>();
    for (Symbol? symbol = command; symbol is Command c && c.Name != "granary"; symbol = c.Parents.FirstOrDefault())
    {
        names.Insert(0, c.Name);
    }

    return names;
}
