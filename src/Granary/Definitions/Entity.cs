namespace Granary.Definitions;

/// <summary>
/// The thing features describe (a driver, a customer), identified by one or more join keys.
/// </summary>
public sealed record Entity : Definition
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "entity";

    private readonly IReadOnlyList<string>? _joinKeys;

    /// <summary>The columns that identify the entity in sources and requests; defaults to the entity's name.</summary>
    public IReadOnlyList<string> JoinKeys
    {
        get => _joinKeys is { Count: > 0 } keys ? keys : [Name];
        init => _joinKeys = value;
    }

    /// <summary>The type of the join keys; <c>int64</c> unless stated.</summary>
    public DataType ValueType { get; init; } = DataType.Int64;

    /// <inheritdoc/>
    public override string Kind => KindName;
}
