namespace Granary.Definitions;

/// <summary>A named set of features that a model consumes, used for both training and serving.</summary>
public sealed record FeatureService : Definition
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "feature_service";

    /// <summary>The views, each with all or some of its features.</summary>
    public required IReadOnlyList<FeatureProjection> Features { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
