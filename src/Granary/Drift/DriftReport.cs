using Granary.Statistics;

namespace Granary.Drift;

/// <summary>What <c>granary drift</c> reports: the two sides, each feature's measures and status, and the features left out.</summary>
/// <param name="Reference">The reference side, for people (<c>dataset training_v1</c>).</param>
/// <param name="Current">The current side, for people.</param>
/// <param name="Features">Each compared feature, in the order asked for.</param>
/// <param name="Skipped">Features left out, with why.</param>
public sealed record DriftReport(string Reference, string Current, IReadOnlyList<FeatureDrift> Features, IReadOnlyList<SkippedFeature> Skipped)
{
    /// <summary>Whether any feature's status is <see cref="FeatureDrift.Drifted"/> (<c>granary drift</c> then exits 1).</summary>
    public bool AnyDrift => Features.Any(f => f.Status == FeatureDrift.Drifted);
}
