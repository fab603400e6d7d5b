using Granary.Definitions;
using Granary.FeatureLogs;
using Granary.Registry;
using Granary.Repo;
using Granary.Statistics;

namespace Granary.Drift;

/// <summary>
/// <c>granary drift</c>: resolves both specs to inputs of the offline store, asks it for the counts of
/// each feature (<see cref="DistributionComparison"/>) and measures them (<see cref="FeatureDrift"/>)
/// against the thresholds of the feature service (the one named, else the logs spec's), else the defaults.
/// </summary>
internal static class DriftAnalysis
{
    public static async Task<DriftReport> RunAsync(
        FeatureStore store, DriftSpec reference, DriftSpec current, IReadOnlyList<string>? features, string? service, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var set = snapshot.Definitions;
        var observed = ObservedFeature.Resolve(set, features, service);
        var thresholdService = service ?? (current as LogsDriftSpec)?.Service ?? (reference as LogsDriftSpec)?.Service;
        var thresholds = (thresholdService is null ? null : set.FindFeatureService(thresholdService)?.Drift) ?? DriftThresholds.Default;
        var referenceSide = await SideAsync(store, snapshot, reference, "--reference", cancellationToken).ConfigureAwait(false);
        var currentSide = await SideAsync(store, snapshot, current, "--current", cancellationToken).ConfigureAwait(false);

        var skipped = new List<SkippedFeature>();
        var compared = new List<(ObservedFeature Feature, InputColumn Reference, InputColumn Current)>();
        foreach (var feature in observed)
        {
            var kind = StatisticsColumn.KindOf(feature.Field.Dtype);
            if (kind == FeatureStatistics.OtherKind)
            {
                skipped.Add(new SkippedFeature(feature.Name, $"{feature.Field.Dtype} values are not compared; drift measures numbers, strings and booleans"));
            }
            else if (referenceSide(feature) is var (refColumn, refWhy) && currentSide(feature) is var (curColumn, curWhy) && (refWhy ?? curWhy) is { } why)
            {
                skipped.Add(new SkippedFeature(feature.Name, why));
            }
            else
            {
                compared.Add((feature, refColumn!, curColumn!));
            }
        }

        var measured = new Dictionary<string, FeatureDrift>(StringComparer.Ordinal);
        foreach (var group in compared.GroupBy(c => (c.Reference.Input, c.Current.Input)))
        {
            var request = new DistributionRequest(
                group.Key.Item1, group.Select(c => new StatisticsColumn(c.Feature.Name, c.Reference.Column, c.Feature.Field.Dtype)).ToArray(),
                group.Key.Item2, group.Select(c => new StatisticsColumn(c.Feature.Name, c.Current.Column, c.Feature.Field.Dtype)).ToArray());
            foreach (var counts in await store.Offline.CompareDistributionsAsync(request, cancellationToken).ConfigureAwait(false))
            {
                measured[counts.Feature] = FeatureDrift.Measure(counts, thresholds.For(counts.Feature));
            }
        }

        return new DriftReport(
            Describe(compared.Select(c => c.Reference.Input), reference),
            Describe(compared.Select(c => c.Current.Input), current),
            compared.Select(c => measured[c.Feature.Name]).ToArray(),
            skipped);
    }

    private static string Describe(IEnumerable<StatisticsInput> inputs, DriftSpec spec)
    {
        var described = inputs.Select(i => i.Describe()).Distinct(StringComparer.Ordinal).ToArray();
        return described.Length == 0 ? spec.Text : string.Join("; ", described);
    }

    /// <summary>Where a feature's values are on one side; a reason instead when that side does not have them.</summary>
    private sealed record InputColumn(StatisticsInput Input, string Column);

    private static async Task<Func<ObservedFeature, (InputColumn?, string?)>> SideAsync(
        FeatureStore store, RegistrySnapshot snapshot, DriftSpec spec, string option, CancellationToken cancellationToken)
    {
        switch (spec)
        {
            case SourceDriftSpec source:
                var inputs = new Dictionary<string, StatisticsInput>(StringComparer.Ordinal);
                return feature =>
                {
                    if (feature.View is not FeatureView view)
                    {
                        return (null, $"{option} {spec.Text}: computed by {feature.View.Kind} '{feature.View.Name}', not a source column; compare a saved dataset or served-feature logs");
                    }

                    if (!inputs.TryGetValue(view.Source, out var input))
                    {
                        var batch = snapshot.Definitions.BatchSourceOf(view) ?? throw new GranaryException($"feature view '{view.Name}': source '{view.Source}' is not in the registry");
                        inputs[view.Source] = input = new SourceRows(batch, source.Start, source.End);
                    }

                    return (new InputColumn(input, feature.Field.Name), null);
                };
            case DatasetDriftSpec dataset:
                var manifest = await store.Registry.GetDatasetAsync(store.Project, dataset.Name, cancellationToken).ConfigureAwait(false)
                    ?? throw new GranaryException($"{option}: project '{store.Project}' has no dataset '{dataset.Name}'; see granary dataset list");
                var files = new FileRows([Datasets.DatasetOperations.Resolve(store.Config, manifest.Path)], $"dataset {dataset.Name}");
                return feature => manifest.Columns.Contains(feature.Name)
                    ? (new InputColumn(files, feature.Name), null)
                    : (null, $"{option} {spec.Text}: the dataset has no column '{feature.Name}'");
            case LogsDriftSpec logs:
                var logged = LogsInput(store, snapshot, logs.Service, logs.Start, logs.End, option);
                return feature => (new InputColumn(logged, feature.Name), null);
            default:
                throw new NotSupportedException(spec.GetType().Name);
        }
    }

    /// <summary>A feature service's served-feature logs in a range of read times, as an input of the offline store.</summary>
    /// <exception cref="GranaryException">The service is unknown, has no logging, or has logged nothing in the range.</exception>
    public static StatisticsInput LogsInput(FeatureStore store, RegistrySnapshot snapshot, string service, DateTimeOffset? start, DateTimeOffset? end, string option)
    {
        var logging = (snapshot.Definitions.FindFeatureService(service) ?? throw new FeatureServiceNotFoundException(service)).Logging
            ?? throw new GranaryException($"{option}: feature service '{service}' has no logging; add logging: {{ sample_rate: 1.0 }} to it and apply");
        var what = $"logs of {service}";
        if (logging.Table is { } table)
        {
            return new TableRows(table, what, FeatureLogColumns.LogTimestamp, start, end);
        }

        var folder = RepoPaths.Resolve(store.Config.RepoPath, logging.Folder!, $"feature_service '{service}' logging.path");
        var files = FeatureLogColumns.Files(folder, start, end);
        return files.Count == 0
            ? throw new GranaryException($"{option}: feature service '{service}' has logged nothing{(start is null && end is null ? string.Empty : " in that range")} (no files under {logging.Folder})")
            : new FileRows(files, what, FeatureLogColumns.LogTimestamp, start, end);
    }
}
