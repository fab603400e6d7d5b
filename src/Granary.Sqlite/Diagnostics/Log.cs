using Microsoft.Extensions.Logging;

namespace Granary.Sqlite.Diagnostics;

/// <summary>Every log message of the SQLite online store, with its event id: ids 2100-2199 are assigned here and nowhere else.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "SQLite online store at {Path}")]
    public static partial void Opened(ILogger logger, string path);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Prepared SQLite tables of project '{Project}': {Kept} views kept, {Deleted} deleted, old tables dropped: {Dropped}")]
    public static partial void Updated(ILogger logger, string project, int kept, int deleted, bool dropped);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Dropped the SQLite tables of project '{Project}'")]
    public static partial void TornDown(ILogger logger, string project);
}
