using Apache.Arrow;
using Granary.Definitions;
using Granary.Statistics;

namespace Granary.Offline;

/// <summary>
/// The contract of an offline store: where the history of features lives and training data is
/// joined. Built from options by its backend package; one instance serves many requests.
/// </summary>
public abstract partial class OfflineStore : IAsyncDisposable
{
    /// <summary>The name of the event-time column in batches from <see cref="PullLatestAsync"/>.</summary>
    public const string EventTimestampColumn = "__event_timestamp";

    /// <summary>The columns of a source; throws <see cref="GranaryException"/> naming the source when it cannot be read.</summary>
    public abstract Task<IReadOnlyList<SourceColumn>> DescribeSourceAsync(DataSource source, CancellationToken cancellationToken = default);

    /// <summary>Starts a point-in-time join; see <see cref="HistoricalRequest"/> for the exact rules.</summary>
    public abstract Task<RetrievalResult> GetHistoricalFeaturesAsync(HistoricalRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams, for each entity key of the view, the latest row with <paramref name="start"/> &lt;=
    /// event time &lt;= <paramref name="end"/> (ties by created time), as batches whose columns are
    /// the join keys, <see cref="EventTimestampColumn"/> (UTC), then the features by output name.
    /// </summary>
    public abstract IAsyncEnumerable<RecordBatch> PullLatestAsync(
        ViewRequest view, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many rows <see cref="PullLatestAsync"/> would stream for the same arguments (one per entity
    /// key with a row in the interval), for progress and ETA displays; null when the store cannot
    /// tell without doing most of the work. Optional: the default is null.
    /// </summary>
    public virtual Task<long?> CountLatestAsync(
        ViewRequest view, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default) =>
        Task.FromResult<long?>(null);

    /// <summary>
    /// Appends rows to a source (the offline half of a push). Optional: stores that cannot write
    /// say so.
    /// </summary>
    public virtual Task WriteAsync(DataSource source, RecordBatch rows, CancellationToken cancellationToken = default) =>
        throw new GranaryException($"this offline store cannot write to source '{source?.Name}'");

    /// <summary>
    /// Describes features' values (<c>granary stats</c>) inside the store, over a source's rows, Parquet
    /// files or a table (<see cref="StatisticsInput"/>); see <see cref="FeatureStatistics"/> for what is
    /// computed. SQL stores run <see cref="SqlStatistics"/>. Optional: stores that cannot say so.
    /// </summary>
    public virtual Task<IReadOnlyList<FeatureStatistics>> ComputeStatisticsAsync(StatisticsRequest request, CancellationToken cancellationToken = default) =>
        throw new GranaryException("this offline store cannot compute statistics");

    /// <summary>
    /// Counts what drift measures need (<see cref="DistributionComparison"/>) for two inputs, inside the
    /// store. SQL stores run <see cref="SqlStatistics"/>. Optional: stores that cannot say so.
    /// </summary>
    public virtual Task<IReadOnlyList<DistributionComparison>> CompareDistributionsAsync(DistributionRequest request, CancellationToken cancellationToken = default) =>
        throw new GranaryException("this offline store cannot compare distributions");

    /// <summary>
    /// Whether <see cref="WriteFeatureLogAsync"/> can append served-feature logs to a table
    /// (<c>logging: { table: ... }</c>). Optional: false by default; apply refuses a table otherwise.
    /// </summary>
    public virtual bool WritesFeatureLogTables => false;

    /// <summary>
    /// Appends served-feature log rows (the columns of <see cref="FeatureLogs.FeatureLogColumns"/>) to
    /// <paramref name="table"/>, creating it on first use and adding columns a newer layout brings.
    /// Optional: stores that cannot say so.
    /// </summary>
    public virtual Task WriteFeatureLogAsync(string table, RecordBatch rows, CancellationToken cancellationToken = default) =>
        throw new GranaryException($"this offline store cannot write served-feature logs to table '{table}'; log to files with logging.path");

    /// <summary>Checks that the store can be reached (health checks); throws when it cannot. The default does nothing.</summary>
    public virtual Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
