using System.CommandLine;
using Granary.Repo;

namespace Granary.Cli.Commands;

/// <summary><c>granary init NAME</c>: scaffolds a runnable demo repo with generated driver statistics.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The folder to create; its name becomes the project name" };
        var command = new Command("init", "Create a demo feature repo with generated driver statistics and a README") { name };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(parse.GetValue(name)!));
            if (folder == Path.TrimEndingDirectorySeparator(Environment.CurrentDirectory))
            {
                throw new GranaryException("give the name of a new folder to create, not the current folder");
            }

            var project = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
            if (!Names.IsValid(project))
            {
                throw new GranaryException($"project name '{project}' must start with a letter or underscore and hold only letters, digits and underscores");
            }

            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new GranaryException($"'{folder}' exists and is not empty; choose a new name");
            }

            await DemoRepo.CreateAsync(folder, project, TimeProvider.System, cancellationToken);
            CommandRunner.Info($"Created feature repo '{project}' in {folder}.");
            CommandRunner.Info($"Next: cd {Path.GetRelativePath(Environment.CurrentDirectory, folder)} && granary apply");
            return 0;
        }));
        return command;
    }
}
