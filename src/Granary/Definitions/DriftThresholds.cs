namespace Granary.Definitions;

/// <summary>
/// When a feature's population stability index (PSI) reads as a warning or as drift: <c>ok</c> below
/// <see cref="PsiWarn"/>, <c>warn</c> below <see cref="PsiDrift"/>, <c>drift</c> from it on. A feature
/// service sets them with <c>drift: { psi_warn: 0.1, psi_drift: 0.25 }</c>, and per feature under
/// <c>features: { view__feature: { ... } }</c>.
/// </summary>
public sealed record DriftThresholds
{
    /// <summary>The default warning threshold, 0.1: the usual reading of PSI as "a small shift".</summary>
    public const double DefaultPsiWarn = 0.1;

    /// <summary>The default drift threshold, 0.25: the usual reading of PSI as "a major shift".</summary>
    public const double DefaultPsiDrift = 0.25;

    /// <summary>The thresholds used when a service sets none.</summary>
    public static DriftThresholds Default { get; } = new();

    /// <summary>PSI from which a feature is <c>warn</c>; default 0.1, greater than 0 and less than <see cref="PsiDrift"/>.</summary>
    public double PsiWarn { get; init; } = DefaultPsiWarn;

    /// <summary>PSI from which a feature is <c>drift</c>; default 0.25, at most 100.</summary>
    public double PsiDrift { get; init; } = DefaultPsiDrift;

    /// <summary>Thresholds of single features, by output name <c>view__feature</c>; empty by default.</summary>
    public IReadOnlyDictionary<string, DriftThresholds> Features { get; init => field = value ?? new Dictionary<string, DriftThresholds>(); } = new Dictionary<string, DriftThresholds>();

    /// <summary>The thresholds of <paramref name="feature"/> (<c>view__feature</c>): its own, else these.</summary>
    public DriftThresholds For(string feature) => Features.TryGetValue(feature, out var own) ? own : this;
}
