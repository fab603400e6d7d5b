namespace Granary.Drift;

/// <summary><c>logs:SERVICE[:START..END]</c>: what a feature service served, from its logs, optionally in a range of read times.</summary>
public sealed record LogsDriftSpec : DriftSpec
{
    /// <summary>The feature service, which must have <c>logging</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The first read time; null when open.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The last read time; null when open.</summary>
    public DateTimeOffset? End { get; init; }
}
