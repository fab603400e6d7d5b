using Microsoft.Extensions.Logging;

namespace Granary.Redis.Diagnostics;

/// <summary>Every log message of the Redis online store, with its event id: ids 2200-2299 are assigned here and nowhere else.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Connected to the Redis online store at {Endpoints} ({Mode})")]
    public static partial void Connected(ILogger logger, string endpoints, string mode);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Redis connection to {Endpoint} failed ({FailureType}); reconnecting")]
    public static partial void ConnectionFailed(ILogger logger, string endpoint, string failureType, Exception? exception);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored")]
    public static partial void ConnectionRestored(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Cannot reach the Redis online store at {Endpoints}: {Reason}")]
    public static partial void Unreachable(ILogger logger, string endpoints, string reason);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Removed {Fields} stale fields of project '{Project}' from Redis")]
    public static partial void StaleFieldsRemoved(ILogger logger, int fields, string project);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Information, Message = "Marked project '{Project}' in Redis with key layout '{Marker}'")]
    public static partial void LayoutMarked(ILogger logger, string project, string marker);
}
