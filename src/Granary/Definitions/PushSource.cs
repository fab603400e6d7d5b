namespace Granary.Definitions;

/// <summary>
/// A source that receives rows pushed at serving time; its batch source holds the history that
/// offline retrieval reads.
/// </summary>
public sealed record PushSource : DataSource
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "push_source";

    /// <summary>The name of the batch source behind this push source.</summary>
    public required string BatchSource { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
