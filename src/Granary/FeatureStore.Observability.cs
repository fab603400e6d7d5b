using Granary.Datasets;
using Granary.Drift;
using Granary.Skew;
using Granary.Statistics;

namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>
    /// Describes features' values over their sources' rows with event time from <paramref name="start"/>
    /// to <paramref name="end"/> (either may be open), computed in the offline store: see
    /// <see cref="FeatureStatistics"/>. Features computed by on-demand or aggregation views are skipped.
    /// </summary>
    public async Task<StatisticsReport> ComputeStatisticsAsync(
        IReadOnlyList<string>? features, string? featureService, DateTimeOffset? start = null, DateTimeOffset? end = null, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var observed = ObservedFeature.Resolve(snapshot.Definitions, features, featureService);
        return await FeatureStatisticsPlan.RunAsync(Offline, snapshot.Definitions, observed, start, end, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Measures how far features' current values moved from reference values: see <see cref="DriftSpec"/> and <see cref="FeatureDrift"/>.</summary>
    public Task<DriftReport> ComputeDriftAsync(
        DriftSpec reference, DriftSpec current, IReadOnlyList<string>? features, string? featureService, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        return DriftAnalysis.RunAsync(this, reference, current, features, featureService, cancellationToken);
    }

    /// <summary>
    /// Compares what a feature service with <c>logging</c> served, from <paramref name="start"/> to
    /// <paramref name="end"/> (read times, either open), with the values training data gives at the same
    /// instants: see <see cref="SkewReport"/>.
    /// </summary>
    public Task<SkewReport> ComputeSkewAsync(string featureService, DateTimeOffset? start = null, DateTimeOffset? end = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featureService);
        return SkewAnalysis.RunAsync(this, featureService, start, end, cancellationToken);
    }

    /// <summary>Writes training data to Parquet and records it as a saved dataset with its manifest (<see cref="SavedDataset"/>).</summary>
    public Task<SavedDataset> CreateDatasetAsync(DatasetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DatasetOperations.CreateAsync(this, request, cancellationToken);
    }

    /// <summary>Recomputes a saved dataset into a temp file and compares it with what was recorded.</summary>
    public Task<DatasetVerification> VerifyDatasetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return DatasetOperations.VerifyAsync(this, name, cancellationToken);
    }

    /// <summary>Removes a saved dataset: its manifest and its data file; false when there was none.</summary>
    public Task<bool> DeleteDatasetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return DatasetOperations.DeleteAsync(this, name, cancellationToken);
    }
}
