namespace Granary.Datasets;

/// <summary>One column of a verified dataset: how many of its rows differ from the recorded data.</summary>
public sealed record ColumnChange(string Column, long ChangedRows);
