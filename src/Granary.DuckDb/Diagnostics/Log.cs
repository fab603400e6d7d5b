using Microsoft.Extensions.Logging;

namespace Granary.DuckDb.Diagnostics;

/// <summary>Every log message of the DuckDB offline store, with its event id: ids 2000-2099 are assigned here and nowhere else.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "DuckDB offline store over {RepoPath}: memory limit {MemoryLimit}, {Threads} threads (0: one per core)")]
    public static partial void Opened(ILogger logger, string repoPath, string memoryLimit, int threads);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Point-in-time join of {Views} views for entity rows from {Entities} started")]
    public static partial void JoinStarted(ILogger logger, int views, string entities);
}
