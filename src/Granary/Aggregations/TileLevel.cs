namespace Granary.Aggregations;

/// <summary>
/// One size of tile in a tiled view's state: tiles [k * size, (k + 1) * size) from the Unix epoch,
/// each with a <see cref="ColumnSummary"/> per entry of <see cref="Needs"/>.
/// </summary>
/// <param name="Size">The tile length in microseconds: a hop of the view, or the finer head size.</param>
/// <param name="Needs">The summaries each tile keeps, one per column read at this level.</param>
/// <param name="MaxWindow">The longest window of the features whose hop this is, in microseconds; 0 for the head level alone.</param>
internal sealed record TileLevel(long Size, IReadOnlyList<SummaryNeeds> Needs, long MaxWindow)
{
    /// <summary>The summary index of <paramref name="column"/> in this level's tiles, or -1.</summary>
    public int SlotOf(int column)
    {
        for (var i = 0; i < Needs.Count; i++)
        {
            if (Needs[i].Column == column)
            {
                return i;
            }
        }

        return -1;
    }
}
