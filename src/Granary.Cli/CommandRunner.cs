using Granary.Repo;
using Spectre.Console;

namespace Granary.Cli;

/// <summary>
/// Runs a command's body: user mistakes (a <see cref="GranaryException"/>) and failures of the disk or a
/// store (a full disk, a refused permission, a database error) print one clear error and exit 1, without a
/// stack trace; Ctrl-C exits 130.
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            // The disk (full, read-only), permissions or a store failed: no bug of ours, so one line and no stack trace.
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
