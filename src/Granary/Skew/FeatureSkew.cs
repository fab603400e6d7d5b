namespace Granary.Skew;

/// <summary>How one feature's served values compare with the values recomputed offline at the same instants.</summary>
public sealed record FeatureSkew
{
    /// <summary>The most examples kept per feature.</summary>
    public const int MaxExamples = 5;

    /// <summary>The feature: <c>view__feature</c>.</summary>
    public required string Feature { get; init; }

    /// <summary>Logged rows that carry the feature.</summary>
    public required long Compared { get; init; }

    /// <summary>Rows whose served and offline values are equal: both null, or the same value (floats within a relative 1e-9).</summary>
    public required long Matches { get; init; }

    /// <summary><see cref="Compared"/> - <see cref="Matches"/>.</summary>
    public long Mismatches => Compared - Matches;

    /// <summary><see cref="Mismatches"/> / <see cref="Compared"/>; 0 without rows.</summary>
    public double MismatchRate => Compared == 0 ? 0 : (double)Mismatches / Compared;

    /// <summary>
    /// The symmetric mean absolute percentage error of numeric features over the rows where both values
    /// are present: the mean of |online - offline| / ((|online| + |offline|) / 2), a pair of zeros counting
    /// 0; null for other types or without such rows.
    /// </summary>
    public double? Smape { get; init; }

    /// <summary>The mismatches by cause.</summary>
    public required SkewCauses Causes { get; init; }

    /// <summary>Up to <see cref="MaxExamples"/> mismatches: the earliest by log time (ties by entity keys), earliest first.</summary>
    public required IReadOnlyList<SkewExample> Examples { get; init; }
}
