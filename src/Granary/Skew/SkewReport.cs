namespace Granary.Skew;

/// <summary>What <c>granary skew</c> reports for a feature service's logged reads.</summary>
/// <param name="FeatureService">The service.</param>
/// <param name="Start">The first read time compared: the one asked for, else the earliest logged; null without rows.</param>
/// <param name="End">The last read time compared: the one asked for, else the latest logged; null without rows.</param>
/// <param name="Rows">Logged rows compared.</param>
/// <param name="Features">Each feature of the service, in service order.</param>
public sealed record SkewReport(string FeatureService, DateTimeOffset? Start, DateTimeOffset? End, long Rows, IReadOnlyList<FeatureSkew> Features)
{
    /// <summary>The features whose mismatch rate is above <paramref name="maxMismatchRate"/> (<c>granary skew</c> then exits 1).</summary>
    public IReadOnlyList<FeatureSkew> Above(double maxMismatchRate) => Features.Where(f => f.MismatchRate > maxMismatchRate).ToArray();
}
