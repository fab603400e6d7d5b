using Microsoft.Extensions.Logging;

namespace Granary.Diagnostics;

/// <summary>
/// The core's log messages, source-generated. Event ids: 100-199 here (the core); the feature
/// server's are 1000-1099 (Granary.Server's Diagnostics/Log.cs).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Applied project '{Project}' at registry version {Version}: {Created} created, {Updated} updated, {Deleted} deleted")]
    public static partial void Applied(ILogger logger, string project, long version, int created, int updated, int deleted);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Materialized {Rows} rows of view '{View}' for {Start:O} .. {End:O} in {Seconds:0.00} s")]
    public static partial void Materialized(ILogger logger, string view, long rows, DateTimeOffset start, DateTimeOffset end, double seconds);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Materialized {Events} events of {Entities} entities into aggregation view '{View}' for {Start:O} .. {End:O} in {Seconds:0.00} s")]
    public static partial void MaterializedAggregation(ILogger logger, string view, long entities, long events, DateTimeOffset start, DateTimeOffset end, double seconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Serving registry version {Version} of project '{Project}'")]
    public static partial void SnapshotLoaded(ILogger logger, string project, long version);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Tore down project '{Project}'")]
    public static partial void TornDown(ILogger logger, string project);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Dropped {Rows} served-feature log rows of feature service '{Service}': {Reason}")]
    public static partial void FeatureLogWriteFailed(ILogger logger, string service, int rows, string reason, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Served-feature logging failed for a read of feature service '{Service}'; the read was answered")]
    public static partial void FeatureLogFailed(ILogger logger, string service, Exception exception);
}
