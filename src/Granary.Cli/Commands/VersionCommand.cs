using System.CommandLine;
using System.Reflection;

namespace Granary.Cli.Commands;

/// <summary><c>granary version</c>.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the Granary version");
        command.SetAction(_ =>
        {
            var version = typeof(FeatureStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"granary {version.Split('+')[0]}");
            return 0;
        });
        return command;
    }
}
