using Granary.Definitions;
using Granary.Offline;

namespace Granary.Statistics;

/// <summary>
/// <c>granary stats</c>: the statistics of features over their sources' rows in an event-time range,
/// one request to the offline store per source, reported in the order the features were asked for.
/// Computed features (on-demand and aggregation views) have no source column and are reported as
/// skipped: describe them in a saved dataset or in served-feature logs.
/// </summary>
internal static class FeatureStatisticsPlan
{
    public static async Task<StatisticsReport> RunAsync(
        OfflineStore offline, DefinitionSet set, IReadOnlyList<ObservedFeature> features, DateTimeOffset? start, DateTimeOffset? end,
        CancellationToken cancellationToken)
    {
        var skipped = features.Where(f => !f.IsSourceColumn)
            .Select(f => new SkippedFeature(f.Name, $"computed by {f.View.Kind} '{f.View.Name}', not a source column; describe it in a saved dataset or in served-feature logs"))
            .ToList();
        var results = new Dictionary<string, FeatureStatistics>(StringComparer.Ordinal);
        var inputs = new List<string>();
        foreach (var group in features.Where(f => f.IsSourceColumn).GroupBy(f => ((FeatureView)f.View).Source, StringComparer.Ordinal))
        {
            var view = (FeatureView)group.First().View;
            var source = set.BatchSourceOf(view) ?? throw new GranaryException($"feature view '{view.Name}': source '{view.Source}' is not in the registry");
            var input = new SourceRows(source, start, end);
            inputs.Add(input.Describe());
            var columns = group.Select(f => new StatisticsColumn(f.Name, f.Field.Name, f.Field.Dtype)).ToArray();
            foreach (var statistics in await offline.ComputeStatisticsAsync(new StatisticsRequest(input, columns), cancellationToken).ConfigureAwait(false))
            {
                results[statistics.Feature] = statistics;
            }
        }

        return new StatisticsReport(
            string.Join("; ", inputs), start, end, features.Where(f => results.ContainsKey(f.Name)).Select(f => results[f.Name]).ToArray(), skipped);
    }
}
