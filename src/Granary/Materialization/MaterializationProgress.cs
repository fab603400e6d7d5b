namespace Granary.Materialization;

/// <summary>Progress of one view's materialization, reported after each written batch and at the end.</summary>
/// <param name="View">The view.</param>
/// <param name="RowsWritten">Rows written online so far.</param>
/// <param name="Elapsed">Time since the view started.</param>
/// <param name="Completed">Whether the view is done and its interval recorded.</param>
/// <param name="TotalRows">The rows the view will write in all, when the offline store could tell; for an ETA.</param>
public sealed record MaterializationProgress(string View, long RowsWritten, TimeSpan Elapsed, bool Completed, long? TotalRows = null)
{
    /// <summary>The time left at the rate so far, when the total is known and some rows were written.</summary>
    public TimeSpan? Remaining => TotalRows is { } total && RowsWritten > 0 && !Completed
        ? Elapsed * ((double)(total - RowsWritten) / RowsWritten)
        : null;
}
