using System.Net.Sockets;
using Granary.Repo;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Granary.Cli;

/// <summary>
/// Runs a command's body and decides its exit code (<see cref="ExitCodes"/>): user mistakes (a
/// <see cref="GranaryException"/>) print one clear error and exit 1, without a stack trace; a wrong command line
/// exits 2; a store that cannot be reached exits 3; a full disk, a refused permission or a database error prints one line
/// and exits 1; Ctrl-C exits 130. Also holds what every command shares:
/// the verbosity and the colors (none when <c>NO_COLOR</c> is set).
/// </summary>
internal static class CommandRunner
{
    private static readonly Lazy<ILoggerFactory> Loggers = new(CreateLoggers);

    /// <summary>How much the command prints; set once from <c>--quiet</c> and <c>--verbose</c> before it runs.</summary>
    public static Verbosity Verbosity { get; set; } = Verbosity.Normal;

    /// <summary>Where the stores log: stderr with <c>--verbose</c>, nowhere otherwise.</summary>
    public static ILoggerFactory LoggerFactory => Verbosity == Verbosity.Verbose ? Loggers.Value : NullLoggerFactory.Instance;

    /// <summary>Whether colors are off: <c>NO_COLOR</c> set to anything (https://no-color.org).</summary>
    public static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException e)
        {
            WriteError(e.Message);
            return ExitCodes.Usage;
        }
        catch (RepoValidationException e)
        {
            foreach (var error in e.Errors)
            {
                WriteError(error);
            }

            return ExitCodes.UserError;
        }
        catch (OperationCanceledException)
        {
            WriteError("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            WriteError(e.Message);
            WriteStackTrace(e);
            return ExitCodes.Unreachable;
        }
        catch (GranaryException e)
        {
            WriteError(e.Message);
            return ExitCodes.UserError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            // A file the command was pointed at (missing, locked, not allowed), a full or read-only disk, or a
            // database's refusal: no bug of ours, so one line (the stack trace only with --verbose).
            WriteError(e.Message);
            WriteStackTrace(e);
            return ExitCodes.UserError;
        }
    }

    /// <summary>
    /// Whether the failure is a store or registry that cannot be reached rather than a mistake: a refused or
    /// dropped connection or a timeout, anywhere in the chain of causes (the stores wrap their clients' errors).
    /// </summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException or TimeoutException
                or StackExchange.Redis.RedisConnectionException or StackExchange.Redis.RedisTimeoutException
                or Npgsql.NpgsqlException { InnerException: IOException } and not Npgsql.PostgresException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes out the log lines still queued (the console logger writes on a thread of its own).</summary>
    public static void FlushLogs()
    {
        if (Loggers.IsValueCreated)
        {
            Loggers.Value.Dispose();
        }
    }

    public static void WriteError(string message) =>
        Console.Error.WriteLine($"error: {message}");

    /// <summary>Prints what only a person would read (progress, summaries); nothing with <c>--quiet</c>.</summary>
    public static void Info(string message)
    {
        if (Verbosity != Verbosity.Quiet)
        {
            Console.WriteLine(message);
        }
    }

    private static void WriteStackTrace(Exception e)
    {
        if (Verbosity == Verbosity.Verbose)
        {
            Console.Error.WriteLine(e.ToString());
        }
    }

    /// <summary>
    /// The console of tables and marked-up lines: colors unless <c>NO_COLOR</c> is set; <c>FORCE_COLOR</c> keeps
    /// them when the output is not a terminal (NO_COLOR wins over it).
    /// </summary>
    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
        Ansi = NoColor ? AnsiSupport.No : ForceColor ? AnsiSupport.Yes : AnsiSupport.Detect,
        ColorSystem = NoColor ? ColorSystemSupport.NoColors : ForceColor ? ColorSystemSupport.Standard : ColorSystemSupport.Detect,
    });

    private static bool ForceColor => Environment.GetEnvironmentVariable("FORCE_COLOR") is { Length: > 0 } force && force != "0";

    private static ILoggerFactory CreateLoggers() => Microsoft.Extensions.Logging.LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Debug)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.ColorBehavior = NoColor ? Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled : Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Default;
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
}
