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

    /// <summary><c>--quiet</c>: results and errors only.</summary>
    public static Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only results (tables, JSON) and errors: no progress or summaries",
        Recursive = true,
    };

    /// <summary><c>--verbose</c>: the stores' logs on stderr, and stack traces of unexpected errors.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Also print what the stores do (their logs, on stderr) and the stack trace of an unexpected error",
        Recursive = true,
    };

    /// <summary>
    /// <c>--format text|json</c> of commands whose output scripts read; <paramref name="text"/> names the human
    /// form (<c>text</c> or <c>table</c>).
    /// </summary>
    public static Option<string> Format(string text = "text", string defaultFormat = "text")
    {
        var option = new Option<string>("--format")
        {
            Description = $"{text} (for people) or json (for scripts)",
            DefaultValueFactory = _ => defaultFormat,
        };
        option.AcceptOnlyFromAmong(text, "json");
        return option;
    }
}
