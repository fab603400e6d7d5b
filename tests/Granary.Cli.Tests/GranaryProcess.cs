using System.Diagnostics;

namespace Granary.Cli.Tests;

/// <summary>Runs the real <c>granary</c> executable built beside this test assembly.</summary>
internal static class GranaryProcess
{
    public static readonly string Executable = Find();

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    /// <summary>Runs with changes to the environment: a null value removes the variable.</summary>
    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The folder holding the executable, to put on PATH for shell completion.</summary>
    public static string Folder => Path.GetDirectoryName(Executable)!;

    private static string Find()
    {
        // artifacts/bin/Granary.Cli.Tests/<pivot>/ -> artifacts/bin/Granary.Cli/<pivot>/granary
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var pivot = Path.GetFileName(here);
        var bin = Path.GetDirectoryName(Path.GetDirectoryName(here))!;
        var path = Path.Combine(bin, "Granary.Cli", pivot, "granary");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the granary executable was not built at {path}");
    }
}
