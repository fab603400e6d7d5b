using Microsoft.Extensions.Logging;

namespace Granary.Server.Diagnostics;

/// <summary>
/// Every log message of the feature server, with its event id: ids 1000-1099 are assigned here and nowhere else
/// (1001 and 1002, the registry's, moved with the registry refresher to Granary.Hosting as 1101 and 1102).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Endpoint} answered {Status} ({Kind}) to request {RequestId}: {Detail}")]
    public static partial void RequestRejected(ILogger logger, string endpoint, int status, string kind, string requestId, string detail);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{Endpoint} answered {Status} ({Kind}) to request {RequestId}: {Detail}")]
    public static partial void StoreUnavailable(ILogger logger, string endpoint, int status, string kind, string requestId, string detail, Exception? exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "{Endpoint} failed on request {RequestId}")]
    public static partial void RequestFailed(ILogger logger, string endpoint, string requestId, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "API keys: {Count} configured ({Keys})")]
    public static partial void ApiKeysConfigured(ILogger logger, int count, string keys);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "No API keys are configured: every caller may use every endpoint this host maps (reads, and under granary serve also pushes and materializations)")]
    public static partial void AuthDisabled(ILogger logger);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "The online store is failing; calls to it are answered 503 for {BreakMs} ms, then it is probed: {Reason}")]
    public static partial void StoreCircuitOpened(ILogger logger, double breakMs, string reason);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "The online store answers again; calls to it are let through")]
    public static partial void StoreCircuitClosed(ILogger logger);
}
