namespace Granary.Definitions;

/// <summary>A named set of features that a model consumes, used for both training and serving.</summary>
public sealed record FeatureService : Definition
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "feature_service";

    /// <summary>The views, each with all or some of its features.</summary>
    public required IReadOnlyList<FeatureProjection> Features { get; init; }

    /// <summary>Served-feature logging of the service's online reads; null (the default, and what registries before it hold) logs nothing.</summary>
    public FeatureLogging? Logging { get; init; }

    /// <summary>When drift reports call the service's features <c>warn</c> or <c>drift</c>; null uses <see cref="DriftThresholds.Default"/>.</summary>
    public DriftThresholds? Drift { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
