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

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "No API keys are configured: every caller may read, push and materialize")]
    public static partial void AuthDisabled(ILogger logger);
}
