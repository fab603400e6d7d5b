using Granary.Materialization;

namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>
    /// Writes online, for each online view (or those named), the latest row per entity key with
    /// <paramref name="start"/> &lt;= event time &lt;= <paramref name="end"/>. Writes never replace
    /// newer values, so re-running an interval is harmless; the interval is recorded only after
    /// its writes completed, so an interrupted run can simply be run again.
    /// </summary>
    public async Task<IReadOnlyList<MaterializedView>> MaterializeAsync(
        DateTimeOffset start, DateTimeOffset end, IReadOnlyList<string>? views = null,
        IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (start > end)
        {
            throw new GranaryException($"start {start:O} is after end {end:O}");
        }

        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        return await _materializer.Value.MaterializeAsync(snapshot, start, end, views, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Materializes each view from where its last materialization ended (or from
    /// <paramref name="end"/> minus its ttl the first time) up to <paramref name="end"/>.
    /// </summary>
    public async Task<IReadOnlyList<MaterializedView>> MaterializeIncrementalAsync(
        DateTimeOffset end, IReadOnlyList<string>? views = null,
        IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        return await _materializer.Value.MaterializeIncrementalAsync(snapshot, end, views, progress, cancellationToken).ConfigureAwait(false);
    }
}
