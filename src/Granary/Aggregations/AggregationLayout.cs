using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Granary.Definitions;

namespace Granary.Aggregations;

/// <summary>
/// The shape of an aggregation view's online state, worked out once per view object: the columns
/// it reads, and either raw events only (exact windows, hop 0) or tiles at each hop plus a finer
/// head level and the newest raw events (tiled windows). See docs/aggregations.md, "Online state".
/// </summary>
/// <remarks>
/// <para>
/// Tiles of a level are [k * size, (k + 1) * size) from the Unix epoch. The levels of a view divide
/// each other (automatic hops are 5 minutes, 1 hour and 1 day; an explicit hop is one level), so a
/// tile of a larger level is a whole number of tiles of a smaller one.
/// </para>
/// <para>
/// The finest level, the head, is the smallest hop, or a divisor of it no longer than
/// <see cref="HeadTile"/> when the smallest hop is longer: it composes the newest part of every
/// window, [floor(t, hop), floor(t, head)), so that the raw events kept are only those of the last
/// head tile rather than of a whole day. Its tiles therefore keep every summary any level needs.
/// </para>
/// </remarks>
internal sealed class AggregationLayout
{
    /// <summary>The longest head tile: raw events are kept for at most this long (plus the future allowance).</summary>
    public static readonly long HeadTile = Micros.Of(TimeSpan.FromMinutes(5));

    /// <summary>The shortest head tile finer than the smallest hop; below it the smallest hop is the head.</summary>
    private static readonly long ShortestHeadTile = Micros.Of(TimeSpan.FromSeconds(1));

    private static readonly ConditionalWeakTable<AggregationView, AggregationLayout> Cache = [];

    private AggregationLayout(AggregationView view)
    {
        View = view;
        var features = view.Features;
        var columns = new List<AggregationColumn>();
        foreach (var aggregation in view.Aggregations)
        {
            if (aggregation.Column is not { } name)
            {
                continue;
            }

            var countedOnly = aggregation.Function == AggregationFunction.Count;
            var type = aggregation.ColumnType;
            if (type is null && !countedOnly)
            {
                throw new GranaryException($"aggregation view '{view.Name}': the type of column '{name}' is not known; apply the view so that its source is read");
            }

            var index = columns.FindIndex(c => c.Name == name);
            var kind = countedOnly ? ValueKind.NullOnly : ValueKinds.Of(type!.Value);
            if (index < 0)
            {
                columns.Add(new AggregationColumn(name, type ?? DataType.String, kind));
            }
            else if (columns[index].Kind == ValueKind.NullOnly && kind != ValueKind.NullOnly)
            {
                columns[index] = columns[index] with { Type = type!.Value, Kind = kind };
            }
        }

        Columns = columns;
        IsExact = view.Hop == TimeSpan.Zero;
        var hops = features.Select(f => Micros.Of(f.Hop)).Where(h => h > 0).Distinct().Order().ToList();
        var levels = new List<TileLevel>();
        if (!IsExact)
        {
            var largest = hops[^1];
            var head = hops[0];
            if (head > HeadTile && Micros.Gcd(head, HeadTile) is var finer && finer >= ShortestHeadTile)
            {
                head = finer;
            }

            var sizes = hops.Prepend(head).Distinct().ToList();
            foreach (var size in sizes)
            {
                if (largest % size != 0 || size % head != 0)
                {
                    throw new GranaryException($"aggregation view '{view.Name}': hops must divide each other; {TimeSpan.FromMicroseconds(size)} does not");
                }
            }

            foreach (var size in sizes)
            {
                var own = features.Where(f => Micros.Of(f.Hop) == size).ToList();
                var needs = NeedsOf(own, columns);
                if (size == head)
                {
                    // The head composes the newest part of every window: it keeps what every level keeps.
                    needs = NeedsOf(features, columns);
                }

                levels.Add(new TileLevel(size, needs, own.Count == 0 ? 0 : own.Max(f => Micros.Of(f.Window))));
            }

            LargestHop = largest;
        }

        Levels = levels;
        MaxWindow = features.Max(f => Micros.Of(f.Window));
        Features = features.Select(f => Plan(f, columns, levels)).ToArray();
        Fingerprint = ComputeFingerprint();
    }

    /// <summary>The view.</summary>
    public AggregationView View { get; }

    /// <summary>The columns read, in first-use order; raw events hold one value per column.</summary>
    public IReadOnlyList<AggregationColumn> Columns { get; }

    /// <summary>Whether the windows are exact (hop 0): the state is raw events only.</summary>
    public bool IsExact { get; }

    /// <summary>The tile levels, finest (the head) first; none for exact windows.</summary>
    public IReadOnlyList<TileLevel> Levels { get; }

    /// <summary>The largest hop in microseconds (0 for exact windows): materialization replaces ranges aligned to it.</summary>
    public long LargestHop { get; }

    /// <summary>The longest window in microseconds.</summary>
    public long MaxWindow { get; }

    /// <summary>Each feature of the view, in the view's order.</summary>
    public IReadOnlyList<FeaturePlan> Features { get; }

    /// <summary>
    /// A hash of everything the stored bytes depend on (columns, kinds, levels, needs, windows):
    /// state written under another layout is never read as this one's.
    /// </summary>
    public ulong Fingerprint { get; }

    /// <summary>The layout of <paramref name="view"/>, computed once per view object.</summary>
    /// <exception cref="GranaryException">The view was not applied (a column type is unknown).</exception>
    public static AggregationLayout Of(AggregationView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Cache.GetValue(view, static v => new AggregationLayout(v));
    }

    /// <summary>
    /// Where the tiles of level <paramref name="level"/> that a read at any time from
    /// <paramref name="horizon"/> on can need start: no tile before it is kept.
    /// </summary>
    public long TilesFrom(int level, long horizon)
    {
        var size = Levels[level].Size;
        var from = Levels[level].MaxWindow > 0 ? Micros.Floor(horizon - Levels[level].MaxWindow, size) : long.MaxValue;
        return level == 0 ? Math.Min(from, Micros.Floor(horizon, LargestHop)) : from;
    }

    /// <summary>Where the raw events a read at any time from <paramref name="horizon"/> on can need start.</summary>
    public long RawFrom(long horizon) => IsExact ? horizon - MaxWindow : Micros.Floor(horizon, Levels[0].Size);

    private static List<SummaryNeeds> NeedsOf(IEnumerable<AggregationFeature> features, List<AggregationColumn> columns)
    {
        var needs = new List<SummaryNeeds>();
        foreach (var feature in features)
        {
            if (feature.Aggregation.Column is not { } name)
            {
                continue;
            }

            var column = columns.FindIndex(c => c.Name == name);
            var need = SummaryNeeds.Of(column, feature.Aggregation.Function, feature.Aggregation.K ?? 0);
            var index = needs.FindIndex(n => n.Column == column);
            if (index < 0)
            {
                needs.Add(need);
            }
            else
            {
                needs[index] = needs[index].Union(need);
            }
        }

        return needs;
    }

    private static FeaturePlan Plan(AggregationFeature feature, List<AggregationColumn> columns, List<TileLevel> levels)
    {
        var column = feature.Aggregation.Column is { } name ? columns.FindIndex(c => c.Name == name) : -1;
        var hop = Micros.Of(feature.Hop);
        var level = hop == 0 ? -1 : levels.FindIndex(l => l.Size == hop);
        var needs = SummaryNeeds.Of(column, feature.Aggregation.Function, feature.Aggregation.K ?? 0);
        var slot = level < 0 || column < 0 ? -1 : levels[level].SlotOf(column);
        var headSlot = level < 0 || column < 0 ? -1 : levels[0].SlotOf(column);
        return new FeaturePlan(feature, column, level, slot, headSlot, Micros.Of(feature.Window), hop, needs);
    }

    private ulong ComputeFingerprint()
    {
        var text = new StringBuilder("granary-aggregation-state-v1");
        text.Append(IsExact ? "|exact" : "|tiled");
        foreach (var column in Columns)
        {
            text.Append("|c:").Append(column.Name).Append(':').Append(column.Type).Append(':').Append(column.Kind);
        }

        foreach (var level in Levels)
        {
            text.Append("|l:").Append(level.Size).Append(':').Append(level.MaxWindow);
            foreach (var need in level.Needs)
            {
                text.Append(':').Append(need.Describe());
            }
        }

        text.Append("|w:").Append(MaxWindow);
        return BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0);
    }
}
