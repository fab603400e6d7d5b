using System.Diagnostics.Metrics;

namespace Granary.FeatureLogs;

/// <summary>
/// The counters of served-feature logging, on the meter <see cref="MeterName"/>: rows written and
/// rows dropped, by feature service (and, for drops, why). The feature server exports them on
/// <c>/metrics</c> as <c>granary_feature_logs_flushed_rows_total</c> and <c>granary_feature_logs_dropped_rows_total</c>.
/// </summary>
public static class FeatureLogMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "Granary.FeatureLogs";

    /// <summary>Why rows were dropped: the queue was full.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>Why rows were dropped: writing them failed (the log says why).</summary>
    public const string WriteFailed = "write_failed";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Flushed = Meter.CreateCounter<long>(
        "granary.feature_logs.flushed_rows", unit: "{row}", description: "Served-feature log rows written, by feature service.");

    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>(
        "granary.feature_logs.dropped_rows", unit: "{row}", description: "Served-feature log rows dropped, by feature service and reason: queue_full (reads came faster than rows were written) or write_failed.");

    internal static void RowsFlushed(string service, long rows) =>
        Flushed.Add(rows, new KeyValuePair<string, object?>("feature_service", service));

    internal static void RowsDropped(string service, long rows, string reason) =>
        Dropped.Add(rows, new KeyValuePair<string, object?>("feature_service", service), new KeyValuePair<string, object?>("reason", reason));
}
