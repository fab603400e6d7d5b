namespace Granary.Definitions;

/// <summary>
/// Fields that arrive with a request rather than from a store: columns of the entity rows offline,
/// values beside the join keys online.
/// </summary>
public sealed record RequestSource : Definition
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "request_source";

    /// <summary>The request fields.</summary>
    public required IReadOnlyList<Field> Schema { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
