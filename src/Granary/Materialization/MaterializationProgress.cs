namespace Granary.Materialization;

/// <summary>Progress of one view's materialization, reported after each written batch and at the end.</summary>
/// <param name="View">The view.</param>
/// <param name="RowsWritten">Rows written online so far.</param>
/// <param name="Elapsed">Time since the view started.</param>
/// <param name="Completed">Whether the view is done and its interval recorded.</param>
public sealed record MaterializationProgress(string View, long RowsWritten, TimeSpan Elapsed, bool Completed);
