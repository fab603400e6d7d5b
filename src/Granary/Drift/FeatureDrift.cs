using Granary.Statistics;

namespace Granary.Drift;

/// <summary>How far one feature's current values moved from its reference values.</summary>
public sealed record FeatureDrift
{
    /// <summary>A PSI below the warning threshold.</summary>
    public const string Ok = "ok";

    /// <summary>A PSI from the warning threshold to below the drift threshold.</summary>
    public const string Warn = "warn";

    /// <summary>A PSI at or above the drift threshold.</summary>
    public const string Drifted = "drift";

    /// <summary>A side without values: nothing to compare.</summary>
    public const string NoData = "no_data";

    /// <summary>The feature: <c>view__feature</c>.</summary>
    public required string Feature { get; init; }

    /// <summary><see cref="FeatureStatistics.NumericKind"/> or <see cref="FeatureStatistics.CategoricalKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The population stability index over the reference's deciles (numeric) or the categories; null without values.</summary>
    public double? Psi { get; init; }

    /// <summary>The Kolmogorov-Smirnov statistic (numeric only).</summary>
    public double? KsD { get; init; }

    /// <summary>The Kolmogorov-Smirnov p-value (numeric only).</summary>
    public double? KsP { get; init; }

    /// <summary>The Jensen-Shannon distance, base 2 (categorical only).</summary>
    public double? Js { get; init; }

    /// <summary><see cref="Ok"/>, <see cref="Warn"/>, <see cref="Drifted"/> or <see cref="NoData"/>.</summary>
    public required string Status { get; init; }

    /// <summary>The thresholds the status was judged by.</summary>
    public required Definitions.DriftThresholds Thresholds { get; init; }

    /// <summary>The counts the measures came from, for charts.</summary>
    public required DistributionComparison Counts { get; init; }

    /// <summary>The measures of <paramref name="counts"/>, judged by <paramref name="thresholds"/>.</summary>
    public static FeatureDrift Measure(DistributionComparison counts, Definitions.DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(thresholds);
        var psi = DriftMeasures.Psi(counts.ReferenceCounts, counts.CurrentCounts);
        var numeric = counts.Kind == FeatureStatistics.NumericKind;
        return new FeatureDrift
        {
            Feature = counts.Feature,
            Kind = counts.Kind,
            Psi = psi,
            KsD = numeric ? counts.KsStatistic : null,
            KsP = numeric && counts.KsStatistic is { } d && counts.ReferenceCount > 0 && counts.CurrentCount > 0
                ? DriftMeasures.KolmogorovSmirnovPValue(d, counts.ReferenceCount, counts.CurrentCount)
                : null,
            Js = numeric ? null : DriftMeasures.JensenShannonDistance(counts.ReferenceCounts, counts.CurrentCounts),
            Status = psi switch
            {
                null => NoData,
                var p when p < thresholds.PsiWarn => Ok,
                var p when p < thresholds.PsiDrift => Warn,
                _ => Drifted,
            },
            Thresholds = thresholds,
            Counts = counts,
        };
    }
}
