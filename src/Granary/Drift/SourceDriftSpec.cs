namespace Granary.Drift;

/// <summary><c>source:START..END</c>: the features' source rows with event time in the range (both ends inclusive).</summary>
public sealed record SourceDriftSpec : DriftSpec
{
    /// <summary>The first event time; null when open.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The last event time; null when open.</summary>
    public DateTimeOffset? End { get; init; }
}
