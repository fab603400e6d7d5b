namespace Granary.Statistics;

/// <summary>A value of a categorical feature and how many rows hold it (booleans as <c>true</c> / <c>false</c>).</summary>
public sealed record TopValue(string Value, long Count);
