namespace Granary.Aggregations;

/// <summary>The events of one entity in [<see cref="Start"/>, start + level size): their count and a summary per column the level reads.</summary>
internal sealed class AggregationTile
{
    /// <summary>Creates an empty tile.</summary>
    public AggregationTile(long start, int summaries)
    {
        Start = start;
        Columns = new ColumnSummary[summaries];
        for (var i = 0; i < summaries; i++)
        {
            Columns[i] = new ColumnSummary();
        }
    }

    /// <summary>The tile's first microsecond, a multiple of its level's size.</summary>
    public long Start { get; }

    /// <summary>Events in the tile, nulls included.</summary>
    public long Events { get; set; }

    /// <summary>One summary per entry of the level's <see cref="TileLevel.Needs"/>.</summary>
    public ColumnSummary[] Columns { get; }

    /// <summary>Adds one event.</summary>
    public void Add(in AggregationEvent e, TileLevel level, AggregationLayout layout)
    {
        Events++;
        for (var i = 0; i < Columns.Length; i++)
        {
            var needs = level.Needs[i];
            Columns[i].Add(e.Values[needs.Column], e.Time, e.Created, needs, layout.Columns[needs.Column].Kind);
        }
    }
}
