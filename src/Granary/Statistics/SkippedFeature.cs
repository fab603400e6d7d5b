namespace Granary.Statistics;

/// <summary>A feature a report leaves out, and why (a computed feature has no source column; bytes are not compared).</summary>
public sealed record SkippedFeature(string Feature, string Reason);
