using Granary.Aggregations;
using Granary.Definitions;

namespace Granary.Tests.Aggregations;

/// <summary>
/// The state stays bounded by the windows and hops, not by the events: pushed one a minute for ten
/// days, it never holds more tiles per level than docs/aggregations.md's formula, and its bytes
/// stop growing once the longest window is full.
/// </summary>
public sealed class AggregationStateSizeTests
{
    private static readonly TimeSpan Allowance = TimeSpan.FromMinutes(5);

    private static long Us(TimeSpan span) => span.Ticks / 10;

    [Theory]
    [InlineData(null, new[] { "1h", "1d", "7d" })]
    [InlineData(1440L, new[] { "1d", "3d" })]
    [InlineData(0L, new[] { "30m", "2h" })]
    public void Add_OneEventAMinuteForTenDays_StaysWithinTheFormula(long? hopMinutes, string[] windows)
    {
        Aggregation A(AggregationFunction function) => new() { Column = "amount", Function = function, Windows = windows, ColumnType = DataType.Float64 };
        var layout = AggregationLayout.Of(new AggregationView
        {
            Name = "v",
            Entities = ["user"],
            Source = "s",
            Hop = hopMinutes is { } m ? TimeSpan.FromMinutes(m) : null,
            Aggregations = [A(AggregationFunction.Count), A(AggregationFunction.Sum), A(AggregationFunction.Avg), A(AggregationFunction.Max)],
        });
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var bytes = Array.Empty<byte>();
        var maxTiles = new int[layout.Levels.Count];
        var maxRaw = 0;
        var sizes = new List<int>();
        for (var minute = 0; minute < 10 * 24 * 60; minute++)
        {
            // The clock is the event time: each update prunes to the clock minus the allowance.
            var time = start.AddMinutes(minute);
            var state = AggregationStateCodec.Decode(layout, bytes) ?? new AggregationState(layout);
            state.Add(new AggregationEvent(Us(time - DateTimeOffset.UnixEpoch), long.MinValue, [AggValue.OfDouble(minute % 97)]), Us(time - Allowance - DateTimeOffset.UnixEpoch));
            state.Prune(Us(time - Allowance - DateTimeOffset.UnixEpoch));
            bytes = AggregationStateCodec.Encode(state);
            sizes.Add(bytes.Length);
            maxRaw = Math.Max(maxRaw, state.Raw.Count);
            for (var level = 0; level < maxTiles.Length; level++)
            {
                maxTiles[level] = Math.Max(maxTiles[level], state.Tiles[level].Count);
            }
        }

        // Per level: (longest window of its hop + 2 allowances) / size + 2; the head level spans at
        // least the largest hop. Raw events: those of the last head tile plus 2 allowances (one a minute).
        for (var level = 0; level < maxTiles.Length; level++)
        {
            var size = layout.Levels[level].Size;
            var span = level == 0 ? Math.Max(layout.Levels[0].MaxWindow, layout.LargestHop) : layout.Levels[level].MaxWindow;
            Assert.InRange(maxTiles[level], 1, ((span + (2 * Us(Allowance))) / size) + 2);
        }

        var rawSpan = layout.IsExact ? layout.MaxWindow + (2 * Us(Allowance)) : layout.Levels[0].Size + (2 * Us(Allowance));
        Assert.InRange(maxRaw, 1, (rawSpan / Us(TimeSpan.FromMinutes(1))) + 1);

        // Bounded: the last three days are no bigger than the days before, once the longest window is full.
        var full = (int)((layout.MaxWindow + layout.LargestHop) / Us(TimeSpan.FromMinutes(1))) + 10;
        var steady = sizes.Skip(full).ToList();
        if (steady.Count > 3 * 24 * 60)
        {
            Assert.True(steady.TakeLast(3 * 24 * 60).Max() <= steady.SkipLast(3 * 24 * 60).Max() + 16, $"state grew from {steady.SkipLast(3 * 24 * 60).Max()} to {steady.TakeLast(3 * 24 * 60).Max()} bytes");
        }
    }
}
