using System.ComponentModel.DataAnnotations;

namespace Granary.FeatureLogs;

/// <summary>
/// How served-feature logging buffers and flushes (set with <see cref="FeatureStoreOptions.FeatureLogs"/>).
/// Logging never blocks or fails a read: rows wait in a bounded queue and a background task writes
/// them; when the queue is full a read's rows are dropped and counted.
/// </summary>
public sealed class FeatureLogOptions
{
    /// <summary>
    /// Entity rows that may wait to be written; a read whose rows do not fit is dropped (counted in
    /// <c>granary_feature_logs_dropped_rows_total</c>). Default 100,000, valid 1 to 100,000,000.
    /// </summary>
    [Range(1, 100_000_000, ErrorMessage = "{0} must be 1 to 100,000,000")]
    public int QueueRows { get; init; } = 100_000;

    /// <summary>Rows buffered before the background task writes them (one file per service and day). Default 10,000, valid 1 to 10,000,000.</summary>
    [Range(1, 10_000_000, ErrorMessage = "{0} must be 1 to 10,000,000")]
    public int FlushRows { get; init; } = 10_000;

    /// <summary>The longest a logged row waits before it is written, however few rows there are. Default 10 seconds, valid 10 ms to 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "{0} must be 10 ms to 1 hour")]
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(10);
}
