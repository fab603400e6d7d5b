using Granary.Aggregations;
using Granary.Conformance;
using Granary.Definitions;
using static Granary.Tests.Aggregations.AggregationTestData;

namespace Granary.Tests.Aggregations;

/// <summary>
/// The state and its evaluation against the brute-force oracle: every function, exact and tiled
/// windows, at many instants, whatever the order events arrive in and however ranges are replaced.
/// </summary>
public sealed class AggregationStateTests
{
    private static readonly TimeSpan Allowance = TimeSpan.FromMinutes(5);

    public static TheoryData<string, TimeSpan?, string[]> Views => new()
    {
        { "exact", TimeSpan.Zero, ["30m", "2h", "1d"] },
        { "automatic", null, ["30m", "1h", "1d", "2d", "14d"] },
        { "hop 1h", TimeSpan.FromHours(1), ["1h", "3h", "1d"] },
        { "hop 1d", TimeSpan.FromDays(1), ["1d", "3d"] },
        { "hop 7m", TimeSpan.FromMinutes(7), ["7m", "70m"] },
    };

    private static long Us(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static AggregationEvent ToEvent(AggregationLayout layout, OracleEvent e) => new(
        Us(e.Time),
        e.Created is { } c ? Us(c) : long.MinValue,
        layout.Columns.Select(c => AggValue.From(e[c.Name], c.Kind)).ToArray());

    /// <summary>Compares every feature at <paramref name="t"/>; returns the mismatches.</summary>
    private static IEnumerable<string> Mismatches(AggregationLayout layout, AggregationState? state, IReadOnlyList<OracleEvent> known, DateTimeOffset t)
    {
        var features = Enumerable.Range(0, layout.Features.Count).ToArray();
        var values = new object?[features.Length];
        AggregationEvaluator.Evaluate(layout, state, Us(t), features, values);
        for (var i = 0; i < features.Length; i++)
        {
            var f = layout.Features[i].Feature;
            var expected = AggregationOracle.Compute(known, f.Aggregation.Function, f.Aggregation.Column, f.Window, f.Hop, f.Aggregation.K, t);
            if (!AggregationOracle.Same(expected, values[i]))
            {
                yield return $"{f.Field.Name} at {t:O}: expected {AggregationOracle.Show(expected)}, got {AggregationOracle.Show(values[i])}";
            }
        }
    }

    private static AggregationState RoundTrip(AggregationState state)
    {
        var bytes = AggregationStateCodec.Encode(state);
        return AggregationStateCodec.Decode(state.Layout, bytes) ?? throw new InvalidOperationException("decoded as another layout");
    }

    [Theory]
    [MemberData(nameof(Views))]
    public void Evaluate_AllEventsInAnyOrder_EqualsOracleAtEveryInstant(string name, TimeSpan? hop, string[] windows)
    {
        var view = View(hop, windows);
        var layout = AggregationLayout.Of(view);
        var events = Events(seed: name.Length, count: 300, span: TimeSpan.FromDays(3));
        var horizon = Us(Start);
        var state = new AggregationState(layout);
        foreach (var e in events.OrderBy(_ => Random.Shared.Next()))
        {
            state.Add(ToEvent(layout, e), horizon);
        }

        state.Prune(horizon);
        state = RoundTrip(state);

        var failures = Instants(events, view, Start, seed: 3, limit: 600).SelectMany(t => Mismatches(layout, state, events, t)).Take(20).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Views))]
    public void Evaluate_ClockMovingForwardWithPushesOutOfOrder_EqualsOracleAtEachRead(string name, TimeSpan? hop, string[] windows)
    {
        // Reads in time order; before each, the events up to the clock plus the allowance arrive
        // in a shuffled order, each update pruning to the clock minus the allowance.
        var view = View(hop, windows);
        var layout = AggregationLayout.Of(view);
        var random = new Random(name.Length);
        var events = Events(seed: 11 + name.Length, count: 250, span: TimeSpan.FromDays(4));
        var pending = events.OrderBy(e => e.Time).ToList();
        var known = new List<OracleEvent>();
        byte[]? stored = null;
        foreach (var t in Instants(events, view, Start, seed: 5, limit: 400))
        {
            var arrived = pending.Where(e => e.Time <= t + Allowance).ToList();
            pending.RemoveAll(arrived.Contains);
            var horizon = Us(t - Allowance);
            foreach (var batch in arrived.OrderBy(_ => random.Next()).Chunk(3))
            {
                var state = stored is null ? new AggregationState(layout) : AggregationStateCodec.Decode(layout, stored)!;
                foreach (var e in batch)
                {
                    state.Add(ToEvent(layout, e), horizon);
                }

                state.Prune(horizon);
                stored = AggregationStateCodec.Encode(state);
                known.AddRange(batch);
            }

            var read = stored is null ? null : AggregationStateCodec.Decode(layout, stored);
            var failures = Mismatches(layout, read, known, t).Take(10).ToList();
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
    }

    [Theory]
    [MemberData(nameof(Views))]
    public void ReplaceRange_OverlappingRangesInAnyOrderWithPushes_NeverCountsTwice(string name, TimeSpan? hop, string[] windows)
    {
        var view = View(hop, windows);
        var layout = AggregationLayout.Of(view);
        var random = new Random(17 + name.Length);
        var events = Events(seed: 23 + name.Length, count: 250, span: TimeSpan.FromDays(3));
        var align = layout.IsExact ? 1 : layout.LargestHop;
        long Aligned(DateTimeOffset time) => Micros.Floor(Us(time), align);
        var horizon = Us(Start);
        var stored = AggregationStateCodec.Encode(new AggregationState(layout));
        void Replace(long from, long to)
        {
            var range = AggregationState.Of(layout, events.Where(e => Us(e.Time) >= from && Us(e.Time) < to).Select(e => ToEvent(layout, e)), horizon);
            var state = AggregationStateCodec.Decode(layout, stored)!;
            state.ReplaceRange(range, from, to);
            state.Prune(horizon);
            stored = AggregationStateCodec.Encode(state);
        }

        void Push(OracleEvent e)
        {
            var state = AggregationStateCodec.Decode(layout, stored)!;
            state.Add(ToEvent(layout, e), horizon);
            state.Prune(horizon);
            stored = AggregationStateCodec.Encode(state);
        }

        // Random ranges (some repeated, some overlapping) and pushes of events that are also in
        // the source (online and offline); then ranges that cover everything, in random order.
        for (var i = 0; i < 12; i++)
        {
            if (random.Next(3) == 0)
            {
                Push(events[random.Next(events.Count)]);
                continue;
            }

            var from = Aligned(Start.AddHours(random.Next(-30, 72)));
            Replace(from, from + Math.Max(align, Aligned(Start + TimeSpan.FromHours(random.Next(1, 40))) - Aligned(Start)));
        }

        var cover = Enumerable.Range(0, 8).Select(i => Aligned(Start.AddHours((i * 12) - 12))).ToList();
        foreach (var i in Enumerable.Range(0, cover.Count - 1).OrderBy(_ => random.Next()))
        {
            Replace(cover[i], cover[i + 1]);
        }

        var final = AggregationStateCodec.Decode(layout, stored);
        var failures = Instants(events, view, Start, seed: 7, limit: 500).SelectMany(t => Mismatches(layout, final, events, t)).Take(20).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Evaluate_WorkedExampleOfTheDocs_GivesTheTableValues()
    {
        // docs/aggregations.md: events of user 7 at 09:10 (5), 09:50 (3), 10:00 (4), 10:20 (2); window 1h.
        var day = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset At(int h, int m) => day.AddHours(h).AddMinutes(m);
        Aggregation Sum(params string[] windows) => new() { Column = "amount", Function = AggregationFunction.Sum, Windows = windows, ColumnType = DataType.Int64 };
        var exact = AggregationLayout.Of(new AggregationView { Name = "e", Entities = ["user"], Source = "s", Hop = TimeSpan.Zero, Aggregations = [Sum("1h")] });
        var tiled = AggregationLayout.Of(new AggregationView { Name = "t", Entities = ["user"], Source = "s", Hop = TimeSpan.FromHours(1), Aggregations = [Sum("1h")] });
        (DateTimeOffset Time, long Amount)[] events = [(At(9, 10), 5), (At(9, 50), 3), (At(10, 0), 4), (At(10, 20), 2)];
        AggregationState Build(AggregationLayout layout) =>
            AggregationState.Of(layout, events.Select(e => new AggregationEvent(Us(e.Time), long.MinValue, [AggValue.OfLong(e.Amount)])), Us(At(9, 0)));
        var exactState = Build(exact);
        var tiledState = Build(tiled);
        long? Read(AggregationLayout layout, AggregationState state, DateTimeOffset t) =>
            (long?)AggregationEvaluator.Evaluate(layout, state, layout.Features[0], Us(t));

        (DateTimeOffset T, long? Exact, long? Tiled)[] table =
        [
            (At(9, 10), null, null), (At(9, 10).AddTicks(10), 5, 5), (At(10, 0), 8, 8), (At(10, 5), 12, 12), (At(10, 15), 7, 12),
            (At(10, 50), 9, 14), (At(11, 0), 6, 6), (At(11, 20), 2, 6), (At(12, 0), null, null),
        ];
        foreach (var (t, expectedExact, expectedTiled) in table)
        {
            Assert.Equal(expectedExact, Read(exact, exactState, t));
            Assert.Equal(expectedTiled, Read(tiled, tiledState, t));
        }
    }

    [Fact]
    public void Layout_HopOfOneDay_AddsFiveMinuteHeadAndKeepsEverySummaryThere()
    {
        var layout = AggregationLayout.Of(View(TimeSpan.FromDays(1), "1d", "3d"));

        Assert.Equal([Micros.Of(TimeSpan.FromMinutes(5)), Micros.Of(TimeSpan.FromDays(1))], layout.Levels.Select(l => l.Size));
        Assert.Equal(layout.Levels[1].Needs, layout.Levels[0].Needs);
        Assert.Equal(0, layout.Levels[0].MaxWindow);
    }

    [Fact]
    public void Decode_BytesOfAnotherLayout_IsNoState()
    {
        var before = AggregationLayout.Of(View(null, "1h"));
        var after = AggregationLayout.Of(View(null, "2h"));
        var state = AggregationState.Of(before, [new AggregationEvent(Us(Start), long.MinValue, before.Columns.Select(_ => AggValue.Null).ToArray())], Us(Start));

        var bytes = AggregationStateCodec.Encode(state);

        Assert.NotNull(AggregationStateCodec.Decode(before, bytes));
        Assert.Null(AggregationStateCodec.Decode(after, bytes));
    }

    [Fact]
    public void Decode_TruncatedBytes_ThrowsNamingTheView()
    {
        var layout = AggregationLayout.Of(View(null, "1h"));
        var events = Events(seed: 1, count: 20, span: TimeSpan.FromHours(1)).Select(e => ToEvent(layout, e));
        var bytes = AggregationStateCodec.Encode(AggregationState.Of(layout, events, Us(Start)));

        var error = Assert.Throws<GranaryException>(() => AggregationStateCodec.Decode(layout, bytes.AsSpan(0, bytes.Length - 3)));

        Assert.Contains("aggregation view 'txn'", error.Message, StringComparison.Ordinal);
    }
}
