namespace Granary.Aggregations;

/// <summary>
/// The online state of one entity of one aggregation view: per tile level, the non-empty tiles in
/// time order, and the raw events from <see cref="RawFrom"/> on. One implementation for every
/// store: stores keep its bytes (<see cref="AggregationStateCodec"/>) and nothing else.
/// </summary>
/// <remarks>
/// <para>
/// Every event the state knows is in one tile of every level (while the tile is kept), and in
/// <see cref="Raw"/> when its time is at least <see cref="RawFrom"/>: the raw list is complete from
/// there on, so a read can take the exact events of the newest part of a window.
/// </para>
/// <para>
/// What is kept is decided by a horizon: the earliest time a read is expected at (the clock at the
/// update minus the future allowance). <see cref="Prune"/> drops tiles and raw events that no read
/// from the horizon on can need, which bounds the state by the windows and hops.
/// </para>
/// </remarks>
internal sealed class AggregationState
{
    /// <summary>Creates an empty state of <paramref name="layout"/>.</summary>
    public AggregationState(AggregationLayout layout)
    {
        Layout = layout;
        Tiles = new List<AggregationTile>[layout.Levels.Count];
        for (var i = 0; i < Tiles.Length; i++)
        {
            Tiles[i] = [];
        }
    }

    /// <summary>The layout.</summary>
    public AggregationLayout Layout { get; }

    /// <summary>
    /// The state of <paramref name="events"/> alone, keeping what a read from
    /// <paramref name="horizon"/> on can need.
    /// </summary>
    public static AggregationState Of(AggregationLayout layout, IEnumerable<AggregationEvent> events, long horizon)
    {
        var state = new AggregationState(layout);
        foreach (var e in events)
        {
            state.Add(e, horizon);
        }

        state.Prune(horizon);
        return state;
    }

    /// <summary>Per level, the non-empty tiles by start.</summary>
    public List<AggregationTile>[] Tiles { get; }

    /// <summary>Raw events by time and created time.</summary>
    public List<AggregationEvent> Raw { get; } = [];

    /// <summary>Every event at or after this time is in <see cref="Raw"/>.</summary>
    public long RawFrom { get; set; } = long.MinValue;

    /// <summary>Whether the state holds nothing: no tile and no raw event.</summary>
    public bool IsEmpty => Raw.Count == 0 && Array.TrueForAll(Tiles, t => t.Count == 0);

    /// <summary>
    /// Adds one event to its tile of every level and to the raw events when it is recent enough,
    /// skipping what a read from <paramref name="horizon"/> on cannot need. Call <see cref="Prune"/>
    /// with the same horizon after the last one: it records what the raw events then hold.
    /// </summary>
    public void Add(in AggregationEvent e, long horizon)
    {
        for (var level = 0; level < Tiles.Length; level++)
        {
            var size = Layout.Levels[level].Size;
            var start = Micros.Floor(e.Time, size);
            if (start < Layout.TilesFrom(level, horizon))
            {
                continue;
            }

            TileAt(level, start).Add(e, Layout.Levels[level], Layout);
        }

        if (e.Time >= RawFrom && e.Time >= Layout.RawFrom(horizon))
        {
            InsertRaw(e);
        }
    }

    /// <summary>Drops the tiles and raw events that no read at or after <paramref name="horizon"/> can need.</summary>
    public void Prune(long horizon)
    {
        for (var level = 0; level < Tiles.Length; level++)
        {
            var from = Layout.TilesFrom(level, horizon);
            var tiles = Tiles[level];
            var keep = LowerBound(tiles, from);
            if (keep > 0)
            {
                tiles.RemoveRange(0, keep);
            }
        }

        RawFrom = Math.Max(RawFrom, Layout.RawFrom(horizon));
        var drop = RawLowerBound(RawFrom);
        if (drop > 0)
        {
            Raw.RemoveRange(0, drop);
        }
    }

    /// <summary>
    /// Replaces everything the state knows of [<paramref name="start"/>, <paramref name="end"/>) by
    /// <paramref name="range"/>, a state built from all the events of that range, and keeps what lies
    /// outside it: the same range replaced twice counts each of its events once. The bounds are
    /// multiples of the largest hop, so no tile straddles them.
    /// </summary>
    public void ReplaceRange(AggregationState range, long start, long end)
    {
        for (var level = 0; level < Tiles.Length; level++)
        {
            var tiles = Tiles[level];
            var from = LowerBound(tiles, start);
            var to = LowerBound(tiles, end);
            tiles.RemoveRange(from, to - from);
            tiles.InsertRange(from, range.Tiles[level]);
        }

        // The raw events stay complete from the latest point where both parts are complete.
        var outsideFrom = RawFrom <= start ? RawFrom : RawFrom <= end ? start : RawFrom;
        var insideFrom = range.RawFrom <= start ? long.MinValue : Math.Min(range.RawFrom, end);
        var completeFrom = Math.Max(outsideFrom, insideFrom);
        var merged = new List<AggregationEvent>(Raw.Count + range.Raw.Count);
        merged.AddRange(Raw.Where(e => (e.Time < start || e.Time >= end) && e.Time >= completeFrom));
        merged.AddRange(range.Raw.Where(e => e.Time >= start && e.Time < end && e.Time >= completeFrom));
        merged.Sort(AggregationEvent.CompareTimes);
        Raw.Clear();
        Raw.AddRange(merged);
        RawFrom = completeFrom;
    }

    /// <summary>The index of the first tile starting at or after <paramref name="start"/>.</summary>
    public static int LowerBound(List<AggregationTile> tiles, long start)
    {
        int low = 0, high = tiles.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (tiles[mid].Start < start)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>The index of the first raw event at or after <paramref name="time"/>.</summary>
    public int RawLowerBound(long time)
    {
        int low = 0, high = Raw.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (Raw[mid].Time < time)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private AggregationTile TileAt(int level, long start)
    {
        var tiles = Tiles[level];
        var at = LowerBound(tiles, start);
        if (at < tiles.Count && tiles[at].Start == start)
        {
            return tiles[at];
        }

        var tile = new AggregationTile(start, Layout.Levels[level].Needs.Count);
        tiles.Insert(at, tile);
        return tile;
    }

    private void InsertRaw(in AggregationEvent e)
    {
        var at = Raw.Count;
        while (at > 0 && AggregationEvent.CompareTimes(Raw[at - 1], e) > 0)
        {
            at--;
        }

        Raw.Insert(at, e);
    }
}
