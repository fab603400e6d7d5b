using Granary.Definitions;
using Granary.Drift;
using Granary.Skew;
using Granary.Statistics;

namespace Granary.Reports.Tests;

/// <summary>Reports as a team would see them, written out by hand: three skewed features, two described, two drifted.</summary>
internal static class SampleReports
{
    private static readonly DateTimeOffset Noon = new(2024, 1, 8, 12, 0, 0, TimeSpan.Zero);

    public static SkewReport Skew() => new("driver_activity", Noon, Noon.AddHours(6), 40,
    [
        new FeatureSkew
        {
            Feature = "driver_hourly_stats__trips", Compared = 40, Matches = 39, Smape = 0.004,
            Causes = new SkewCauses(0, 1, 0, 0),
            Examples = [new SkewExample(new Dictionary<string, object?> { ["driver_id"] = 1003L }, Noon.AddHours(2), 10L, 11L, Noon.AddHours(-2), Noon.AddHours(-1), "stale_online")],
        },
        new FeatureSkew
        {
            Feature = "driver_hourly_stats__conv_rate", Compared = 40, Matches = 28, Smape = 0.02,
            Causes = new SkewCauses(7, 5, 0, 0),
            Examples =
            [
                new SkewExample(new Dictionary<string, object?> { ["driver_id"] = 1001L }, Noon, 0.5, 0.7, Noon.AddHours(-3), Noon.AddHours(-3), "value_differs"),
                new SkewExample(new Dictionary<string, object?> { ["driver_id"] = 1002L }, Noon.AddHours(1), 0.25, 0.3, Noon.AddHours(-2), Noon.AddMinutes(-30), "stale_online"),
            ],
        },
        new FeatureSkew
        {
            Feature = "driver_adjusted__score", Compared = 40, Matches = 40, Smape = 0,
            Causes = new SkewCauses(0, 0, 0, 0),
            Examples = [],
        },
    ]);

    public static StatisticsReport Statistics() => new("source driver_stats, 2024-01-01T00:00:00Z..2024-01-08T00:00:00Z", Noon.AddDays(-7), Noon, [
        new FeatureStatistics
        {
            Feature = "driver_hourly_stats__conv_rate", Kind = FeatureStatistics.NumericKind, Count = 1000, Nulls = 12, Distinct = 874,
            Min = 0.01, Max = 0.99, Mean = 0.48, Stddev = 0.21,
            Quantiles = new Dictionary<string, double> { ["p01"] = 0.03, ["p05"] = 0.12, ["p25"] = 0.33, ["p50"] = 0.47, ["p75"] = 0.63, ["p95"] = 0.84, ["p99"] = 0.95 },
            Histogram = new Histogram(
                Enumerable.Range(0, 21).Select(i => 0.01 + (i * 0.049)).ToArray(),
                [5, 9, 17, 28, 40, 55, 68, 80, 90, 97, 96, 88, 78, 66, 52, 40, 28, 18, 10, 23]),
        },
        new FeatureStatistics
        {
            Feature = "driver_hourly_stats__city", Kind = FeatureStatistics.CategoricalKind, Count = 1000, Nulls = 0, Distinct = 4,
            Top = [new TopValue("paris", 420), new TopValue("rome", 310), new TopValue("lisbon", 190), new TopValue("oslo", 80)],
        },
    ], [new SkippedFeature("driver_adjusted__score", "computed by an on-demand view; statistics describe source columns")]);

    public static DriftReport Drift()
    {
        var thresholds = DriftThresholds.Default;
        double[] edges = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        return new DriftReport("dataset training_v1", "logs of driver_activity, 2024-01-08T00:00:00Z..2024-01-09T00:00:00Z",
        [
            FeatureDrift.Measure(new DistributionComparison
            {
                Feature = "driver_hourly_stats__conv_rate", Kind = FeatureStatistics.NumericKind, ReferenceCount = 1000, CurrentCount = 800, Edges = edges,
                ReferenceCounts = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
                CurrentCounts = [20, 30, 40, 60, 80, 90, 110, 120, 130, 120],
                KsStatistic = 0.21,
            }, thresholds),
            FeatureDrift.Measure(new DistributionComparison
            {
                Feature = "driver_hourly_stats__trips", Kind = FeatureStatistics.NumericKind, ReferenceCount = 1000, CurrentCount = 800, Edges = edges,
                ReferenceCounts = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
                CurrentCounts = [78, 82, 80, 79, 81, 80, 80, 78, 82, 80],
                KsStatistic = 0.01,
            }, thresholds),
            FeatureDrift.Measure(new DistributionComparison
            {
                Feature = "driver_hourly_stats__city", Kind = FeatureStatistics.CategoricalKind, ReferenceCount = 1000, CurrentCount = 800,
                Categories = ["lisbon", "oslo", "paris", "rome"],
                ReferenceCounts = [190, 80, 420, 310],
                CurrentCounts = [160, 120, 300, 220],
            }, thresholds),
        ], []);
    }
}
