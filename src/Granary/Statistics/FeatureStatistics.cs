namespace Granary.Statistics;

/// <summary>
/// What a feature's values look like (<c>granary stats</c>). <see cref="Count"/> counts rows, nulls
/// included; numeric figures (from <see cref="Min"/> to <see cref="Histogram"/>) are over the finite
/// values only (NaN and infinities are counted but not measured), times as seconds since the Unix
/// epoch; quantiles are exact, interpolated linearly between order statistics; the histogram has
/// <see cref="HistogramBins"/> equal bins from min to max. Categorical features get the
/// <see cref="TopCount"/> most frequent values instead.
/// </summary>
public sealed record FeatureStatistics
{
    /// <summary>Numbers and times.</summary>
    public const string NumericKind = "numeric";

    /// <summary>Strings and booleans.</summary>
    public const string CategoricalKind = "categorical";

    /// <summary>Bytes and lists: counted only.</summary>
    public const string OtherKind = "other";

    /// <summary>The bins of the histogram.</summary>
    public const int HistogramBins = 20;

    /// <summary>The most frequent values kept for a categorical feature.</summary>
    public const int TopCount = 10;

    /// <summary>The quantiles computed, by JSON name and probability.</summary>
    public static IReadOnlyList<(string Name, double P)> QuantilePoints { get; } =
        [("p01", 0.01), ("p05", 0.05), ("p25", 0.25), ("p50", 0.50), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99)];

    /// <summary>The feature: <c>view__feature</c>.</summary>
    public required string Feature { get; init; }

    /// <summary><see cref="NumericKind"/>, <see cref="CategoricalKind"/> or <see cref="OtherKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Rows, nulls included.</summary>
    public required long Count { get; init; }

    /// <summary>Rows whose value is null.</summary>
    public required long Nulls { get; init; }

    /// <summary><see cref="Nulls"/> / <see cref="Count"/>; 0 without rows.</summary>
    public double NullRate => Count == 0 ? 0 : (double)Nulls / Count;

    /// <summary>Distinct non-null values; null for <see cref="OtherKind"/>.</summary>
    public long? Distinct { get; init; }

    /// <summary>The least finite value; null when there is none or the feature is not numeric.</summary>
    public double? Min { get; init; }

    /// <summary>The greatest finite value.</summary>
    public double? Max { get; init; }

    /// <summary>The mean of the finite values.</summary>
    public double? Mean { get; init; }

    /// <summary>The sample standard deviation (n - 1) of the finite values; null for fewer than two.</summary>
    public double? Stddev { get; init; }

    /// <summary>The quantiles of <see cref="QuantilePoints"/>, by name; empty when not numeric or without values.</summary>
    public IReadOnlyDictionary<string, double> Quantiles { get; init; } = new Dictionary<string, double>();

    /// <summary>The histogram; null when not numeric or without values.</summary>
    public Histogram? Histogram { get; init; }

    /// <summary>The most frequent values, most frequent first, ties by value; empty when not categorical.</summary>
    public IReadOnlyList<TopValue> Top { get; init; } = [];
}
