namespace Granary.Cli;

/// <summary>The command line is wrong in a way the parser cannot see (options that do not go together, a malformed value): exit 2.</summary>
internal sealed class UsageException(string message) : GranaryException(message);
