namespace Granary.Cli;

/// <summary>How much a command prints: <c>--quiet</c>, the default, or <c>--verbose</c>.</summary>
internal enum Verbosity
{
    Quiet,
    Normal,
    Verbose,
}
