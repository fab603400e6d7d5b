namespace Granary.Cli;

/// <summary>What <c>granary</c> exits with; docs/cli.md lists them for scripts.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>A user error (a wrong definition, an unknown view, a bad file) or a failed check (validation of plan or apply).</summary>
    public const int UserError = 1;

    /// <summary>The command line itself is wrong: an unknown command or option, a missing argument, options that do not go together.</summary>
    public const int Usage = 2;

    /// <summary>A store or the registry cannot be reached (connection refused, timed out, DNS).</summary>
    public const int Unreachable = 3;

    /// <summary>Interrupted with Ctrl-C.</summary>
    public const int Cancelled = 130;
}
