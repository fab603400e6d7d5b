using Granary.Definitions;

namespace Granary.Statistics;

/// <summary>The rows of a source whose event time is from <paramref name="Start"/> to <paramref name="End"/>, both inclusive (either may be open).</summary>
/// <param name="Source">The source (a push source's batch source already resolved).</param>
/// <param name="Start">The first event time, inclusive; null for no lower bound.</param>
/// <param name="End">The last event time, inclusive; null for no upper bound.</param>
public sealed record SourceRows(DataSource Source, DateTimeOffset? Start, DateTimeOffset? End) : StatisticsInput
{
    /// <inheritdoc/>
    public override string Describe() => $"source {Source.Name}, {Range(Start, End)}";
}
