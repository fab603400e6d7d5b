namespace Granary.Drift;

/// <summary><c>dataset:NAME</c>: the rows of a saved dataset.</summary>
public sealed record DatasetDriftSpec : DriftSpec
{
    /// <summary>The dataset.</summary>
    public required string Name { get; init; }
}
