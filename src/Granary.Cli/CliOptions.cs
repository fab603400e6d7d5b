using System.CommandLine;

namespace Granary.Cli;

/// <summary>Options every command shares.</summary>
internal static class CliOptions
{
    /// <summary><c>--repo PATH</c>: the feature repo folder, the current folder by default.</summary>
    public static Option<string> Repo { get; } = new("--repo", "-r")
    {
        Description = "The feature repo folder (holding granary.yaml)",
        DefaultValueFactory = _ => ".",
        Recursive = true,
    };
}
