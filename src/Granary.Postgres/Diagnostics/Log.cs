using Microsoft.Extensions.Logging;

namespace Granary.Postgres.Diagnostics;

/// <summary>
/// Every log message of the PostgreSQL stores and registry, with its event id: ids 2300-2399 are assigned here
/// and nowhere else. Npgsql logs its own events (connection failures, pool) through the same logger factory.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "PostgreSQL {What} at {Where}")]
    public static partial void DataSourceCreated(ILogger logger, string what, string where);
}
