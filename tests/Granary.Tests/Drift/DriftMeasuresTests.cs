using Granary.Definitions;
using Granary.Drift;
using Granary.Statistics;

namespace Granary.Tests.Drift;

/// <summary>PSI, Kolmogorov-Smirnov and Jensen-Shannon on small examples worked by hand (the arithmetic is in each test).</summary>
public sealed class DriftMeasuresTests
{
    private const double Eps = DriftMeasures.Epsilon;

    [Fact]
    public void Psi_IdenticalShares_IsZero()
    {
        Assert.Equal(0.0, DriftMeasures.Psi([3, 1, 6], [30, 10, 60]));
    }

    [Fact]
    public void Psi_TwoBinsMovedTenPoints_SumsBothTerms()
    {
        // (0.4 - 0.5) ln(0.4 / 0.5) + (0.6 - 0.5) ln(0.6 / 0.5) = 0.1 * 0.22314355 + 0.1 * 0.18232156.
        Assert.Equal(0.04054651, DriftMeasures.Psi([50, 50], [40, 60])!.Value, 7);
    }

    [Fact]
    public void Psi_EveryCurrentValueAboveTheReferenceDeciles_UsesEpsilonForEmptyBins()
    {
        // Nine bins hold 0.1 of the reference and none of the current (ε): 9 (ε - 0.1) ln(ε / 0.1) = 9 * 0.0999 * 6.9077553;
        // the last holds 0.1 and all of the current: (1 - 0.1) ln(1 / 0.1) = 0.9 * 2.3025851.
        var psi = DriftMeasures.Psi(Enumerable.Repeat(1L, 10).ToArray(), [0, 0, 0, 0, 0, 0, 0, 0, 0, 10]);

        Assert.Equal(6.2107623 + 2.0723266, psi!.Value, 6);
    }

    [Fact]
    public void Psi_HalfOverlap_OnlyEmptyAndGrownBinsCount()
    {
        // Five bins lose their 0.1 to ε: 5 * 0.0999 * 6.9077553 = 3.4504238; four keep 0.1; the last grows to 0.6: 0.5 ln 6 = 0.8958797.
        Assert.Equal(3.4504238 + 0.8958797, DriftMeasures.Psi(Enumerable.Repeat(1L, 10).ToArray(), [0, 0, 0, 0, 0, 1, 1, 1, 1, 6])!.Value, 6);
    }

    [Fact]
    public void Psi_DisjointCategories_IsTheMaximumForTwoFullCategories()
    {
        // One category each: 2 (1 - ε) ln(1 / ε) = 2 * 0.9999 * 9.2103404.
        Assert.Equal(18.4188388, DriftMeasures.Psi([10, 0], [0, 10])!.Value, 6);
    }

    [Fact]
    public void Psi_ASideWithoutValues_IsNull()
    {
        Assert.Null(DriftMeasures.Psi([0, 0], [1, 2]));
    }

    [Theory]
    // The Kolmogorov distribution's familiar critical values: P(K > 1.2238) = 0.10, P(K > 1.3581) = 0.05, P(K > 1.6276) = 0.01.
    [InlineData(1.2238, 0.10)]
    [InlineData(1.3581, 0.05)]
    [InlineData(1.6276, 0.01)]
    public void KolmogorovQ_CriticalValues_GiveTheirLevels(double lambda, double level)
    {
        Assert.Equal(level, DriftMeasures.KolmogorovQ(lambda), 3);
    }

    [Fact]
    public void KolmogorovSmirnovPValue_HalfShiftOfTenAndTen_UsesTheEffectiveSize()
    {
        // e = 10 * 10 / 20 = 5; λ = (2.2360680 + 0.12 + 0.11 / 2.2360680) * 0.5 = 1.2026307;
        // Q = 2 (exp(-2 λ²) - exp(-8 λ²)) = 2 (0.0554280 - 0.0000094) = 0.1108371.
        Assert.Equal(0.1108371, DriftMeasures.KolmogorovSmirnovPValue(0.5, 10, 10), 5);
    }

    [Fact]
    public void KolmogorovSmirnovPValue_NoDifference_IsOne()
    {
        Assert.Equal(1.0, DriftMeasures.KolmogorovSmirnovPValue(0, 100, 100));
    }

    [Fact]
    public void JensenShannonDistance_HalfSharedCategory_IsRootOfAHalf()
    {
        // P = (0.5, 0.5, 0), Q = (0, 0.5, 0.5), M = (0.25, 0.5, 0.25): KL(P‖M) = 0.5 log2 2 = 0.5 = KL(Q‖M); divergence 0.5.
        Assert.Equal(Math.Sqrt(0.5), DriftMeasures.JensenShannonDistance([2, 2, 0], [0, 2, 2])!.Value, 12);
    }

    [Fact]
    public void JensenShannonDistance_IdenticalAndDisjoint_ZeroAndOne()
    {
        Assert.Equal(0.0, DriftMeasures.JensenShannonDistance([1, 3], [2, 6])!.Value, 12);
        Assert.Equal(1.0, DriftMeasures.JensenShannonDistance([5, 0], [0, 7])!.Value, 12);
    }

    [Theory]
    [InlineData(new long[] { 50, 50 }, new long[] { 40, 60 }, "ok")]     // 0.0405
    [InlineData(new long[] { 50, 50 }, new long[] { 30, 70 }, "warn")]   // 0.2 ln(5/3) + 0.2 ln(1.4) = 0.1021651 + 0.0672944 = 0.1694595
    [InlineData(new long[] { 50, 50 }, new long[] { 10, 90 }, "drift")]  // 0.4 ln 5 + 0.4 ln 1.8 = 0.6437752 + 0.2351152
    [InlineData(new long[] { 0, 0 }, new long[] { 10, 90 }, "no_data")]
    public void Measure_DefaultThresholds_StatusByPsi(long[] reference, long[] current, string status)
    {
        var drift = FeatureDrift.Measure(Categorical(reference, current), DriftThresholds.Default);

        Assert.Equal(status, drift.Status);
    }

    [Fact]
    public void Measure_OwnThresholds_JudgeByThem()
    {
        var thresholds = new DriftThresholds { PsiWarn = 0.01, PsiDrift = 0.03 };

        Assert.Equal("drift", FeatureDrift.Measure(Categorical([50, 50], [40, 60]), thresholds).Status);
    }

    [Fact]
    public void Measure_Numeric_KsFromCountsAndNoJs()
    {
        var counts = new DistributionComparison
        {
            Feature = "v__x", Kind = FeatureStatistics.NumericKind, ReferenceCount = 10, CurrentCount = 10,
            Edges = [1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1],
            ReferenceCounts = Enumerable.Repeat(1L, 10).ToArray(), CurrentCounts = [0, 0, 0, 0, 0, 1, 1, 1, 1, 6], KsStatistic = 0.5,
        };

        var drift = FeatureDrift.Measure(counts, DriftThresholds.Default);

        Assert.Equal((0.5, "drift"), (drift.KsD!.Value, drift.Status));
        Assert.Equal(0.1108371, drift.KsP!.Value, 5);
        Assert.Null(drift.Js);
    }

    private static DistributionComparison Categorical(long[] reference, long[] current) => new()
    {
        Feature = "v__tier", Kind = FeatureStatistics.CategoricalKind, ReferenceCount = reference.Sum(), CurrentCount = current.Sum(),
        Categories = reference.Select((_, i) => $"c{i}").ToArray(), ReferenceCounts = reference, CurrentCounts = current,
    };
}
