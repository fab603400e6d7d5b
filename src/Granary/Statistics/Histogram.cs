namespace Granary.Statistics;

/// <summary>Counts of values in bins: bin i holds values from <c>Edges[i]</c> to <c>Edges[i + 1]</c> (the last bin includes its upper edge).</summary>
/// <param name="Edges">The bin edges, one more than the bins.</param>
/// <param name="Counts">The values in each bin.</param>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);
