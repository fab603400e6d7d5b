namespace Granary.Registry;

/// <summary>An event-time range whose rows were written to the online store, recorded once the writes completed.</summary>
/// <param name="Start">The range's start, inclusive.</param>
/// <param name="End">The range's end, inclusive.</param>
/// <param name="RecordedAt">When the run finished.</param>
public sealed record MaterializationInterval(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset RecordedAt);
