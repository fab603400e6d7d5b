namespace Granary.Statistics;

/// <summary>What <c>granary stats</c> reports: where the values came from, each feature's statistics, and the features left out.</summary>
/// <param name="Input">The rows described, for people: <c>source driver_stats, 2024-01-01T00:00:00Z..2024-01-08T00:00:00Z</c>.</param>
/// <param name="Start">The first event time asked for; null when open.</param>
/// <param name="End">The last event time asked for; null when open.</param>
/// <param name="Features">The statistics, in the order the features were asked for.</param>
/// <param name="Skipped">Features left out, with why.</param>
public sealed record StatisticsReport(
    string Input, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyList<FeatureStatistics> Features, IReadOnlyList<SkippedFeature> Skipped);
