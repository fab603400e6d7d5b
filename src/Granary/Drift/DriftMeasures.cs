namespace Granary.Drift;

/// <summary>
/// The drift measures of <c>granary drift</c>, computed from counts (<see cref="Statistics.DistributionComparison"/>):
/// the population stability index, the Kolmogorov-Smirnov p-value and the Jensen-Shannon distance.
/// </summary>
public static class DriftMeasures
{
    /// <summary>
    /// The share that stands in for an empty bin or category in <see cref="Psi"/>, 0.0001: without it
    /// an empty bin on one side makes the index infinite. Shares are not renormalized after the swap.
    /// </summary>
    public const double Epsilon = 1e-4;

    /// <summary>
    /// The population stability index of <paramref name="current"/> against <paramref name="reference"/>:
    /// the sum over bins of (c - r) ln(c / r), where r and c are each side's share of its values in the
    /// bin and an empty bin's share is <see cref="Epsilon"/>. 0 for identical shares; it grows with
    /// the shift, to 2 (1 - ε) ln(1 / ε), about 18.4, for one full bin on each side.
    /// </summary>
    /// <returns>The index; null when either side has no values.</returns>
    public static double? Psi(IReadOnlyList<long> reference, IReadOnlyList<long> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Count != current.Count)
        {
            throw new ArgumentException($"the sides have {reference.Count} and {current.Count} bins", nameof(current));
        }

        double n = reference.Sum(), m = current.Sum();
        if (n == 0 || m == 0)
        {
            return null;
        }

        var psi = 0.0;
        for (var i = 0; i < reference.Count; i++)
        {
            var r = reference[i] == 0 ? Epsilon : reference[i] / n;
            var c = current[i] == 0 ? Epsilon : current[i] / m;
            psi += (c - r) * Math.Log(c / r);
        }

        return psi;
    }

    /// <summary>
    /// The p-value of the two-sample Kolmogorov-Smirnov statistic <paramref name="d"/> for samples of
    /// <paramref name="n"/> and <paramref name="m"/> values: the asymptotic Kolmogorov distribution at
    /// λ = (√e + 0.12 + 0.11 / √e) d with e = n m / (n + m) (Stephens' correction, as in Numerical Recipes).
    /// </summary>
    public static double KolmogorovSmirnovPValue(double d, long n, long m)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        var effective = Math.Sqrt((double)n * m / (n + m));
        return KolmogorovQ((effective + 0.12 + (0.11 / effective)) * d);
    }

    /// <summary>
    /// The Kolmogorov distribution's upper tail Q(λ) = 2 Σ_{j≥1} (-1)^(j-1) exp(-2 j² λ²), summed until
    /// its terms no longer matter; 1 where the series does not settle (λ near 0).
    /// </summary>
    public static double KolmogorovQ(double lambda)
    {
        var a2 = -2.0 * lambda * lambda;
        var sign = 2.0;
        var sum = 0.0;
        var previous = 0.0;
        for (var j = 1; j <= 100; j++)
        {
            var term = sign * Math.Exp(a2 * j * j);
            sum += term;
            if (Math.Abs(term) <= 0.001 * previous || Math.Abs(term) <= 1e-8 * sum)
            {
                return Math.Clamp(sum, 0, 1);
            }

            sign = -sign;
            previous = Math.Abs(term);
        }

        return 1.0;
    }

    /// <summary>
    /// The Jensen-Shannon distance (base 2) between the two sides' shares: the square root of
    /// ½ KL(P‖M) + ½ KL(Q‖M) with M = ½ (P + Q); from 0 (identical) to 1 (no value in common).
    /// </summary>
    /// <returns>The distance; null when either side has no values.</returns>
    public static double? JensenShannonDistance(IReadOnlyList<long> reference, IReadOnlyList<long> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        double n = reference.Sum(), m = current.Sum();
        if (n == 0 || m == 0)
        {
            return null;
        }

        var divergence = 0.0;
        for (var i = 0; i < reference.Count; i++)
        {
            var p = reference[i] / n;
            var q = current[i] / m;
            var mid = (p + q) / 2;
            divergence += (p > 0 ? 0.5 * p * Math.Log2(p / mid) : 0) + (q > 0 ? 0.5 * q * Math.Log2(q / mid) : 0);
        }

        return Math.Sqrt(Math.Clamp(divergence, 0, 1));
    }
}
