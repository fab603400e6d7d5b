using Granary.Repo;
using Spectre.Console;

namespace Granary.Cli;

/// <summary>
/// Runs a command's body: user mistakes (a <see cref="GranaryException"/>) print one clear error
/// and exit 1, without a stack trace; Ctrl-C exits 130.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (RepoValidationException e)
        {
            foreach (var error in e.Errors)
            {
                WriteError(error);
            }

            return 1;
        }
        catch (GranaryException e)
        {
            WriteError(e.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            WriteError("cancelled");
            return 130;
        }
    }

    public static void WriteError(string message) =>
        Console.Error.WriteLine($"error: {message}");

    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
    });
}
