using Granary.Definitions;
using Granary.Offline;
using Granary.Repo;
using Field = Granary.Definitions.Field;

namespace Granary.Conformance;

/// <summary>
/// Training data of aggregation views: the contract every offline store passes unchanged. A window
/// w with hop h covers, for an entity row at t, the events of the row's keys with
/// start(t) &lt;= event time &lt; t, where start(t) is t - w (hop 0) or t - w rounded down to a
/// multiple of h counted from the Unix epoch. Every expected value is worked out by hand in the
/// comments from the events each test writes; times are on 2021-04-12 UTC unless stated.
/// </summary>
public abstract partial class OfflineAggregationTests : OfflineStoreSuite
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private static readonly Entity User = new() { Name = "user", JoinKeys = ["user_id"] };
    private int _sources;

    /// <summary>A suite over the store that <see cref="OfflineStoreSuite.CreateStoreAsync"/> builds.</summary>
    protected OfflineAggregationTests()
        : base("granary-offline-agg-")
    {
    }

    /// <summary>The source kinds the store's sources are of, for the registry of the tests through <see cref="FeatureStore"/>.</summary>
    protected virtual SourceKinds SourceKinds => new();

    /// <summary>
    /// Stores <paramref name="table"/> where the store can read it (a file, a table) and returns a
    /// source over it with the given timestamp columns and field mapping.
    /// </summary>
    protected abstract Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping);

    private static DateTimeOffset At(int hour, int minute = 0, int second = 0, int microsecond = 0) =>
        Day.AddHours(hour).AddMinutes(minute).AddSeconds(second).AddTicks(microsecond * TimeSpan.TicksPerMicrosecond);

    private static Aggregation Agg(AggregationFunction function, string? column, params string[] windows) =>
        new() { Function = function, Column = column, Windows = windows };

    private static readonly (string, string)[] AmountColumns = [("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("amount", "int64")];

    /// <summary>
    /// Declares an aggregation view over <paramref name="events"/>, completes it against the store
    /// as apply does (<see cref="SourceSchemaValidator"/> reads the column types), and asks for every
    /// feature.
    /// </summary>
    private async Task<AggregationRequest> ViewAsync(
        TestTable events, TimeSpan? hop, Aggregation[] aggregations, string? created = null, IReadOnlyDictionary<string, string>? mapping = null,
        Entity[]? entities = null, string timestampField = "event_timestamp", bool push = false, string? name = null)
    {
        var viewName = name ?? $"agg{++_sources}";
        var source = await CreateSourceAsync($"{viewName}_source", events, timestampField, created, mapping);
        DataSource[] sources = push ? [source, new PushSource { Name = $"{viewName}_push", BatchSource = source.Name }] : [source];
        entities ??= [User];
        var view = new AggregationView
        {
            Name = viewName,
            Entities = entities.Select(e => e.Name).ToArray(),
            Source = sources[^1].Name,
            Hop = hop,
            Online = false,
            Aggregations = aggregations,
        };
        var (errors, set) = await SourceSchemaValidator.ValidateAsync(
            new DefinitionSet { Entities = entities, Sources = sources, AggregationViews = [view] }, Store);
        Assert.Empty(errors);
        var resolved = set.FindAggregationView(viewName)!;
        return AggregationRequest.For(set, resolved, resolved.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray());
    }

    private async Task<EntityInput> EntitiesCsvAsync(string csv)
    {
        var path = Path.Combine(Folder, $"entities-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv);
        return EntityInput.FromFile(path);
    }

    private Task<EntityInput> UserRowsAsync(params (long User, DateTimeOffset Time)[] rows) =>
        EntitiesCsvAsync(TestTable.Of([("user_id", "int64"), ("event_timestamp", "unix_timestamp")], rows.Select(r => new object?[] { r.User, r.Time }).ToArray()).ToCsv());

    private async Task<List<Dictionary<string, object?>>> RetrieveAsync(EntityInput entities, params AggregationRequest[] aggregations)
    {
        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalRequest(entities, []) { Aggregations = aggregations });
        return await ResultRows.ReadAllAsync(result);
    }

    [Fact]
    public async Task GetHistoricalFeatures_WorkedTimelineOfTheDocs_GivesItsTable()
    {
        // docs/aggregations.md, "A worked example": user 7 spends 5 at 09:10, 3 at 09:50, 4 at 10:00, 2 at 10:20.
        var events = TestTable.Of(AmountColumns, [7L, At(9, 10), 5L], [7L, At(9, 50), 3L], [7L, At(10), 4L], [7L, At(10, 20), 2L]);
        var exact = await ViewAsync(events, TimeSpan.Zero, [Agg(AggregationFunction.Sum, "amount", "1h"), Agg(AggregationFunction.Count, null, "1h")]);
        var tiled = await ViewAsync(events, TimeSpan.FromHours(1), [Agg(AggregationFunction.Sum, "amount", "1h") with { Name = "tiled_sum_1h" }]);
        var times = new[] { At(9, 10), At(9, 10, 0, 1), At(10), At(10, 5), At(10, 15), At(10, 50), At(11), At(11, 20), At(12) };

        var rows = await RetrieveAsync(await UserRowsAsync(times.Select(t => (7L, t)).ToArray()), exact, tiled);

        // Exact [t - 1h, t): 09:10 none; 09:10:00.000001 {09:10}; 10:00 {09:10, 09:50}; 10:05 adds 10:00;
        // 10:15 drops 09:10; 10:50 {09:50, 10:00, 10:20}; 11:00 {10:00, 10:20}; 11:20 {10:20}; 12:00 none.
        Assert.Equal([null, 5L, 8L, 12L, 7L, 9L, 6L, 2L, null], rows.Select(r => r["amount_sum_1h"]));
        Assert.Equal([0L, 1L, 2L, 3L, 2L, 3L, 2L, 1L, 0L], rows.Select(r => r["count_1h"]));

        // Tiled [floor(t - 1h, 1h), t): from 09:00 for every t in (10:00, 11:00), so 10:15 keeps 09:10
        // (12) and 10:50 has all four (14); 11:20 starts at 10:00 and keeps 10:00 (6).
        Assert.Equal([null, 5L, 8L, 12L, 12L, 14L, 6L, 6L, null], rows.Select(r => r["tiled_sum_1h"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_InfiniteAndNaNFloats_GiveTheirIeeeResultsNotAnError()
    {
        // User 1: 1.5 and +Infinity; user 2: 1.5 and NaN; user 3: +Infinity alone. (Finite values whose sum
        // overflows are left out: PostgreSQL refuses them with an overflow error where the others give inf.)
        var columns = new (string, string)[] { ("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("price", "float64") };
        var events = TestTable.Of(columns,
            [1L, At(9), 1.5], [1L, At(9, 10), double.PositiveInfinity],
            [2L, At(9), 1.5], [2L, At(9, 10), double.NaN],
            [3L, At(9), double.PositiveInfinity]);
        var request = await ViewAsync(events, TimeSpan.Zero,
            [Agg(AggregationFunction.Sum, "price", "1h"), Agg(AggregationFunction.Avg, "price", "1h"), Agg(AggregationFunction.Stddev, "price", "1h")]);

        var rows = await RetrieveAsync(await UserRowsAsync((1, At(10)), (2, At(10)), (3, At(10))), request);

        // IEEE arithmetic: x + inf = inf, x + NaN = NaN; the sample
        // standard deviation of two values one of which is not finite is NaN, of one value null.
        Assert.Equal([double.PositiveInfinity, double.NaN, double.PositiveInfinity], rows.Select(r => r["price_sum_1h"]));
        Assert.Equal([double.PositiveInfinity, double.NaN, double.PositiveInfinity], rows.Select(r => r["price_avg_1h"]));
        Assert.Equal([double.NaN, double.NaN, null], rows.Select(r => r["price_stddev_1h"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_EveryFunction_OverOneExactWindow()
    {
        // Window [09:00, 10:00) for the row at 10:00 holds e1..e5; 08:59:59 and 10:00 are outside.
        var columns = new (string, string)[]
        {
            ("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("amount", "int64"), ("price", "float64"),
            ("qty", "int32"), ("score", "float32"), ("merchant", "string"), ("seen", "unix_timestamp"),
        };
        var events = TestTable.Of(columns,
            [1L, At(8, 59, 59), 100L, 100.0, 100, 9f, "z", At(1)],
            [1L, At(9), 5L, 1.5, 2, 0.25f, "b", At(8)],          // e1
            [1L, At(9, 10), null, 2.5, 3, null, "a", At(7)],      // e2
            [1L, At(9, 20), 3L, null, 1, 0.75f, "c", null],       // e3
            [1L, At(9, 30), 5L, 0.5, null, 0.5f, null, null],     // e4
            [1L, At(9, 40), -1L, 4.0, 2, null, "a", null],        // e5
            [1L, At(10), 1000L, 1000.0, 1000, 9f, "y", At(12)]);
        var request = await ViewAsync(events, TimeSpan.Zero,
        [
            Agg(AggregationFunction.Count, null, "1h"),
            Agg(AggregationFunction.Count, "amount", "1h"),
            Agg(AggregationFunction.Sum, "amount", "1h"),
            Agg(AggregationFunction.Avg, "amount", "1h"),
            Agg(AggregationFunction.Min, "amount", "1h"),
            Agg(AggregationFunction.Max, "amount", "1h"),
            Agg(AggregationFunction.First, "amount", "1h"),
            Agg(AggregationFunction.Last, "amount", "1h"),
            Agg(AggregationFunction.CountDistinct, "amount", "1h"),
            Agg(AggregationFunction.Sum, "qty", "1h"),
            Agg(AggregationFunction.Max, "qty", "1h"),
            Agg(AggregationFunction.Sum, "price", "1h"),
            Agg(AggregationFunction.Avg, "price", "1h"),
            Agg(AggregationFunction.Stddev, "price", "1h"),
            Agg(AggregationFunction.Min, "score", "1h"),
            Agg(AggregationFunction.Sum, "score", "1h"),
            Agg(AggregationFunction.First, "merchant", "1h"),
            Agg(AggregationFunction.Last, "merchant", "1h"),
            Agg(AggregationFunction.LastK, "merchant", "1h") with { K = 3 },
            Agg(AggregationFunction.CountDistinct, "merchant", "1h"),
            Agg(AggregationFunction.Min, "merchant", "1h"),
            Agg(AggregationFunction.Max, "merchant", "1h"),
            Agg(AggregationFunction.Min, "seen", "1h"),
            Agg(AggregationFunction.Max, "seen", "1h"),
            Agg(AggregationFunction.Last, "seen", "1h"),
        ]);

        var row = (await RetrieveAsync(await UserRowsAsync((1, At(10))), request)).Single();

        Assert.Equal(5L, row["count_1h"]);                    // e1..e5
        Assert.Equal(4L, row["amount_count_1h"]);             // e2's amount is null
        Assert.Equal(12L, row["amount_sum_1h"]);              // 5 + 3 + 5 - 1, int64
        Assert.Equal(3.0, row["amount_avg_1h"]);              // 12 / 4, float64
        Assert.Equal(-1L, row["amount_min_1h"]);
        Assert.Equal(5L, row["amount_max_1h"]);
        Assert.Equal(5L, row["amount_first_1h"]);             // e1
        Assert.Equal(-1L, row["amount_last_1h"]);             // e5
        Assert.Equal(3L, row["amount_count_distinct_1h"]);    // {5, 3, -1}
        Assert.Equal(8L, row["qty_sum_1h"]);                  // 2 + 3 + 1 + 2: int32 sums to int64
        Assert.Equal(3, row["qty_max_1h"]);                   // the column's type, int32
        Assert.Equal(8.5, row["price_sum_1h"]);               // 1.5 + 2.5 + 0.5 + 4.0
        Assert.Equal(2.125, row["price_avg_1h"]);             // 8.5 / 4

        // Deviations from 2.125: -0.625, 0.375, -1.625, 1.875; squares sum to 6.6875; n - 1 = 3.
        AssertClose(Math.Sqrt(6.6875 / 3), (double)row["price_stddev_1h"]!);
        Assert.Equal(0.25f, row["score_min_1h"]);             // float32 stays float32
        Assert.Equal(1.5, row["score_sum_1h"]);               // 0.25 + 0.75 + 0.5, as float64
        Assert.Equal("b", row["merchant_first_1h"]);          // e1
        Assert.Equal("a", row["merchant_last_1h"]);           // e5 (e4's merchant is null)
        Assert.Equal(new[] { "a", "c", "a" }, row["merchant_last_3_1h"]); // e5, e3, e2: newest first, nulls skipped
        Assert.Equal(3L, row["merchant_count_distinct_1h"]);  // {b, a, c}
        Assert.Equal("a", row["merchant_min_1h"]);
        Assert.Equal("c", row["merchant_max_1h"]);
        Assert.Equal(At(7), row["seen_min_1h"]);              // e2
        Assert.Equal(At(8), row["seen_max_1h"]);              // e1
        Assert.Equal(At(7), row["seen_last_1h"]);             // e2 is the latest event with a seen time
    }

    [Fact]
    public async Task GetHistoricalFeatures_EmptyOrAllNullWindow_CountsZeroAndNullsTheRest()
    {
        // User 2 has one event at 09:30 whose values are all null; user 3 one price of 2.0 at 09:30.
        var columns = new (string, string)[] { ("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("price", "float64"), ("merchant", "string") };
        var events = TestTable.Of(columns, [2L, At(9, 30), null, null], [3L, At(9, 30), 2.0, "m"]);
        var request = await ViewAsync(events, TimeSpan.Zero,
        [
            Agg(AggregationFunction.Count, null, "1h"),
            Agg(AggregationFunction.Count, "price", "1h"),
            Agg(AggregationFunction.Sum, "price", "1h"),
            Agg(AggregationFunction.Avg, "price", "1h"),
            Agg(AggregationFunction.Min, "price", "1h"),
            Agg(AggregationFunction.Max, "price", "1h"),
            Agg(AggregationFunction.Stddev, "price", "1h"),
            Agg(AggregationFunction.First, "merchant", "1h"),
            Agg(AggregationFunction.Last, "merchant", "1h"),
            Agg(AggregationFunction.LastK, "merchant", "1h") with { K = 2 },
            Agg(AggregationFunction.CountDistinct, "merchant", "1h"),
        ]);

        // Rows: user 2 at 10:00 (an all-null window), user 2 at 09:00 (empty: 09:30 is after),
        // user 99 (no events at all), user 3 at 10:00 (a single value).
        var rows = await RetrieveAsync(await UserRowsAsync((2, At(10)), (2, At(9)), (99, At(10)), (3, At(10))), request);

        Assert.Equal([1L, 0L, 0L, 1L], rows.Select(r => r["count_1h"]));
        Assert.Equal([0L, 0L, 0L, 1L], rows.Select(r => r["price_count_1h"]));
        Assert.Equal([0L, 0L, 0L, 1L], rows.Select(r => r["merchant_count_distinct_1h"]));
        Assert.Equal([null, null, null, 2.0], rows.Select(r => r["price_sum_1h"]));
        Assert.Equal([null, null, null, 2.0], rows.Select(r => r["price_avg_1h"]));
        Assert.Equal([null, null, null, 2.0], rows.Select(r => r["price_min_1h"]));
        Assert.Equal([null, null, null, 2.0], rows.Select(r => r["price_max_1h"]));

        // The sample standard deviation needs two values.
        Assert.Equal([null, null, null, null], rows.Select(r => r["price_stddev_1h"]));
        Assert.Equal([null, null, null, "m"], rows.Select(r => r["merchant_first_1h"]));
        Assert.Equal([null, null, null, "m"], rows.Select(r => r["merchant_last_1h"]));
        Assert.Null(rows[0]["merchant_last_2_1h"]);
        Assert.Null(rows[1]["merchant_last_2_1h"]);
        Assert.Null(rows[2]["merchant_last_2_1h"]);
        Assert.Equal(new[] { "m" }, rows[3]["merchant_last_2_1h"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_WindowEdges_StartIncludedEndExcludedToTheMicrosecond()
    {
        // Events: A = 1 at 09:00, B = 10 at 09:30, C = 100 at 10:00.
        var events = TestTable.Of(AmountColumns, [1L, At(9), 1L], [1L, At(9, 30), 10L], [1L, At(10), 100L]);
        var exact = await ViewAsync(events, TimeSpan.Zero, [Agg(AggregationFunction.Sum, "amount", "1h")]);
        var tiled = await ViewAsync(events, TimeSpan.FromMinutes(30), [Agg(AggregationFunction.Sum, "amount", "1h") with { Name = "tiled" }]);
        var times = new[] { At(9), At(9, 59, 59, 999_999), At(10), At(10, 0, 0, 1), At(10, 29, 59, 999_999), At(10, 30), At(10, 30, 0, 1) };

        var rows = await RetrieveAsync(await UserRowsAsync(times.Select(t => (1L, t)).ToArray()), exact, tiled);

        // Exact [t - 1h, t):
        //   09:00           [08:00, 09:00): A is at t, excluded       -> null
        //   09:59:59.999999 [08:59:59.999999, ..): A, B                -> 11
        //   10:00           [09:00, 10:00): A at the start, B; C at t  -> 11
        //   10:00:00.000001 [09:00:00.000001, ..): B, C                -> 110
        //   10:29:59.999999 [09:29:59.999999, ..): B, C                -> 110
        //   10:30           [09:30, 10:30): B at the start, C          -> 110
        //   10:30:00.000001 [09:30:00.000001, ..): C                   -> 100
        Assert.Equal([null, 11L, 11L, 110L, 110L, 110L, 100L], rows.Select(r => r["amount_sum_1h"]));

        // Tiled, hop 30m: [floor(t - 1h, 30m), t):
        //   09:00           [08:00, 09:00)                              -> null
        //   09:59:59.999999 [08:30, ..): A, B                           -> 11
        //   10:00           [09:00, 10:00): A, B                        -> 11
        //   10:00:00.000001 [09:00, 10:00:00.000001): A, B, C           -> 111
        //   10:29:59.999999 [09:00, ..): A, B, C                        -> 111
        //   10:30           [09:30, 10:30): B, C                        -> 110
        //   10:30:00.000001 [09:30, ..): B, C                           -> 110
        Assert.Equal([null, 11L, 11L, 111L, 111L, 110L, 110L], rows.Select(r => r["tiled"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_HopOmitted_UsesTheAutomaticHopOfEachWindow()
    {
        // Automatic hops: 5m for 1h, 1h for 1d. Events: 10 at 04-11 10:01, 1 at 09:02. Row at 10:04:
        // 1h: t - 1h = 09:04, down to 09:00 -> [09:00, 10:04) holds 09:02 -> 1 (exact would start at 09:04).
        // 1d: t - 1d = 04-11 10:04, down to 10:00 -> holds 04-11 10:01 and 09:02 -> 11.
        var events = TestTable.Of(AmountColumns, [1L, Day.AddDays(-1).AddHours(10).AddMinutes(1), 10L], [1L, At(9, 2), 1L]);
        var request = await ViewAsync(events, hop: null, [Agg(AggregationFunction.Sum, "amount", "1h", "1d")]);

        var row = (await RetrieveAsync(await UserRowsAsync((1, At(10, 4))), request)).Single();

        Assert.Equal(1L, row["amount_sum_1h"]);
        Assert.Equal(11L, row["amount_sum_1d"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_BoolAndBytesColumns_FirstLastAndDistinct()
    {
        // Events at 09:00, 09:10, 09:20 (nulls), 09:30. Bytes compare byte by byte: [1] < [1, 2].
        var columns = new (string, string)[] { ("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("flag", "bool"), ("blob", "bytes") };
        var events = TestTable.Of(columns,
            [1L, At(9), true, new byte[] { 1, 2 }],
            [1L, At(9, 10), false, new byte[] { 1 }],
            [1L, At(9, 20), null, null],
            [1L, At(9, 30), false, new byte[] { 1, 2 }]);
        var request = await ViewAsync(events, TimeSpan.Zero,
        [
            Agg(AggregationFunction.First, "flag", "1h"),
            Agg(AggregationFunction.Last, "flag", "1h"),
            Agg(AggregationFunction.CountDistinct, "flag", "1h"),
            Agg(AggregationFunction.Count, "flag", "1h"),
            Agg(AggregationFunction.First, "blob", "1h"),
            Agg(AggregationFunction.Last, "blob", "1h"),
            Agg(AggregationFunction.LastK, "blob", "1h") with { K = 2 },
            Agg(AggregationFunction.CountDistinct, "blob", "1h"),
        ]);

        var row = (await RetrieveAsync(await UserRowsAsync((1, At(10))), request)).Single();

        Assert.Equal(true, row["flag_first_1h"]);
        Assert.Equal(false, row["flag_last_1h"]);
        Assert.Equal(2L, row["flag_count_distinct_1h"]);
        Assert.Equal(3L, row["flag_count_1h"]);
        Assert.Equal(new byte[] { 1, 2 }, row["blob_first_1h"]);
        Assert.Equal(new byte[] { 1, 2 }, row["blob_last_1h"]);
        Assert.Equal([new byte[] { 1, 2 }, new byte[] { 1 }], ((System.Collections.IEnumerable)row["blob_last_2_1h"]!).Cast<byte[]>());
        Assert.Equal(2L, row["blob_count_distinct_1h"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_TiesOnEventTime_OrderedByCreatedTimeThenValue()
    {
        // Four events at 09:00. Order, earliest first: r4 (no created time), r2 (09:01), then r1 and
        // r3 (both 09:05) by the value of the column aggregated: merchant m0 (r3) before m1 (r1), but
        // amount 1 (r1) before 3 (r3).
        var columns = new (string, string)[]
        {
            ("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("merchant", "string"), ("amount", "int64"),
        };
        var events = TestTable.Of(columns,
            [1L, At(9), At(9, 5), "m1", 1L],  // r1
            [1L, At(9), At(9, 1), "m2", 2L],  // r2
            [1L, At(9), At(9, 5), "m0", 3L],  // r3
            [1L, At(9), null, "zz", 4L]);     // r4
        var request = await ViewAsync(events, TimeSpan.Zero,
        [
            Agg(AggregationFunction.First, "merchant", "1h"),
            Agg(AggregationFunction.Last, "merchant", "1h"),
            Agg(AggregationFunction.LastK, "merchant", "1h") with { K = 3 },
            Agg(AggregationFunction.First, "amount", "1h"),
            Agg(AggregationFunction.Last, "amount", "1h"),
            Agg(AggregationFunction.LastK, "amount", "1h") with { K = 2 },
        ], created: "created");

        var row = (await RetrieveAsync(await UserRowsAsync((1, At(10))), request)).Single();

        // merchant order: zz, m2, m0, m1.
        Assert.Equal("zz", row["merchant_first_1h"]);
        Assert.Equal("m1", row["merchant_last_1h"]);
        Assert.Equal(new[] { "m1", "m0", "m2" }, row["merchant_last_3_1h"]);

        // amount order: 4, 2, 1, 3.
        Assert.Equal(4L, row["amount_first_1h"]);
        Assert.Equal(3L, row["amount_last_1h"]);
        Assert.Equal(new[] { 3L, 1L }, row["amount_last_2_1h"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_TiedStrings_ComparedByUtf8Bytes()
    {
        // Without a created column, events tied on time are ordered by value. "Ａ" (U+FF21, UTF-8
        // EF BC A1) is below "😀" (U+1F600, UTF-8 F0 9F 98 80) by bytes, though above it in UTF-16
        // code units (FF21 > D83D). User 1: b, a, c at 09:00. User 2: Ａ and 😀 at 09:30, and "a" at 09:10.
        var columns = new (string, string)[] { ("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("merchant", "string") };
        var events = TestTable.Of(columns,
            [1L, At(9), "b"], [1L, At(9), "a"], [1L, At(9), "c"],
            [2L, At(9, 30), "\uFF21"], [2L, At(9, 30), "\U0001F600"], [2L, At(9, 10), "a"]);
        var request = await ViewAsync(events, TimeSpan.Zero,
        [
            Agg(AggregationFunction.First, "merchant", "1h"),
            Agg(AggregationFunction.Last, "merchant", "1h"),
            Agg(AggregationFunction.LastK, "merchant", "1h") with { K = 2 },
            Agg(AggregationFunction.Min, "merchant", "1h"),
            Agg(AggregationFunction.Max, "merchant", "1h"),
        ]);

        var rows = await RetrieveAsync(await UserRowsAsync((1, At(10)), (2, At(10))), request);

        Assert.Equal(["a", "a"], rows.Select(r => r["merchant_first_1h"]));
        Assert.Equal(["c", "\U0001F600"], rows.Select(r => r["merchant_last_1h"]));
        Assert.Equal(new[] { "c", "b" }, rows[0]["merchant_last_2_1h"]);
        Assert.Equal(new[] { "\U0001F600", "\uFF21" }, rows[1]["merchant_last_2_1h"]);
        Assert.Equal(["a", "a"], rows.Select(r => r["merchant_min_1h"]));
        Assert.Equal(["c", "\U0001F600"], rows.Select(r => r["merchant_max_1h"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_CompositeKey_AggregatesPerKeyPair()
    {
        // Keys (user_id, merchant_id): (1, a) spends 1 at 09:00 and 8 at 09:30; (1, b) 2; (2, a) 4.
        var merchant = new Entity { Name = "merchant", JoinKeys = ["merchant_id"], ValueType = DataType.String };
        var columns = new (string, string)[] { ("user_id", "int64"), ("merchant_id", "string"), ("event_timestamp", "unix_timestamp"), ("amount", "int64") };
        var events = TestTable.Of(columns, [1L, "a", At(9), 1L], [1L, "b", At(9, 10), 2L], [2L, "a", At(9, 20), 4L], [1L, "a", At(9, 30), 8L]);
        var request = await ViewAsync(events, TimeSpan.Zero,
            [Agg(AggregationFunction.Sum, "amount", "1h"), Agg(AggregationFunction.Count, null, "1h")], entities: [User, merchant]);
        var entities = TestTable.Of([("user_id", "int64"), ("merchant_id", "string"), ("event_timestamp", "unix_timestamp")],
            [1L, "a", At(10)], [1L, "b", At(10)], [2L, "a", At(10)], [2L, "b", At(10)]);

        var rows = await RetrieveAsync(await EntitiesCsvAsync(entities.ToCsv()), request);

        Assert.Equal([9L, 2L, 4L, null], rows.Select(r => r["amount_sum_1h"]));
        Assert.Equal([2L, 1L, 1L, 0L], rows.Select(r => r["count_1h"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_FieldMapping_AggregatesTheMappedColumns()
    {
        // Source columns uid, ts and amt are user_id, event_ts and amount in Granary.
        var events = TestTable.Of([("uid", "int64"), ("ts", "unix_timestamp"), ("amt", "float64")], [1L, At(9, 15), 2.5], [1L, At(9, 45), 0.5]);
        var request = await ViewAsync(events, TimeSpan.Zero, [Agg(AggregationFunction.Sum, "amount", "1h"), Agg(AggregationFunction.Max, "amount", "1h")],
            mapping: new Dictionary<string, string> { ["uid"] = "user_id", ["amt"] = "amount", ["ts"] = "event_ts" }, timestampField: "event_ts");

        var rows = await RetrieveAsync(await UserRowsAsync((1, At(10)), (1, At(9, 30))), request);

        Assert.Equal([3.0, 2.5], rows.Select(r => r["amount_sum_1h"]));
        Assert.Equal([2.5, 2.5], rows.Select(r => r["amount_max_1h"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_PushSource_ReadsItsBatchSource()
    {
        var events = TestTable.Of(AmountColumns, [1L, At(9, 15), 2L], [1L, At(9, 45), 3L]);
        var request = await ViewAsync(events, TimeSpan.Zero, [Agg(AggregationFunction.Sum, "amount", "1h")], push: true);

        var rows = await RetrieveAsync(await UserRowsAsync((1, At(10))), request);

        Assert.IsNotType<PushSource>(request.Source);
        Assert.Equal(5L, rows.Single()["amount_sum_1h"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityTimesWithOffsets_ComparedAsUtcInstants()
    {
        // Events at 09:30Z (1) and 10:00Z (2). 12:00+02:00 is 10:00Z: [09:00, 10:00) -> 1.
        // 05:00:00.000001-05:00 is 10:00:00.000001Z: both -> 3. A time without offset is UTC: 10:30 -> [09:30, 10:30) -> 3.
        var events = TestTable.Of(AmountColumns, [1L, At(9, 30), 1L], [1L, At(10), 2L]);
        var request = await ViewAsync(events, TimeSpan.Zero, [Agg(AggregationFunction.Sum, "amount", "1h")]);
        var entities = await EntitiesCsvAsync(
            "user_id,event_timestamp\n1,2021-04-12T12:00:00+02:00\n1,2021-04-12T05:00:00.000001-05:00\n1,2021-04-12 10:30:00\n");

        var rows = await RetrieveAsync(entities, request);

        Assert.Equal([1L, 3L, 3L], rows.Select(r => r["amount_sum_1h"]));
        Assert.Equal([At(10), At(10, 0, 0, 1), At(10, 30)], rows.Select(r => r["event_timestamp"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_HopOfDays_CountedFromTheUnixEpoch()
    {
        // 2021-04-12 is day 18729 after 1970-01-01 (2021-01-01 is day 18628, plus 31 + 28 + 31 + 11).
        // Events: 100 at 04-10 12:00, 1 at 04-11 12:00, 10 at 04-12 06:00.
        var events = TestTable.Of(AmountColumns, [1L, Day.AddDays(-2).AddHours(12), 100L], [1L, Day.AddDays(-1).AddHours(12), 1L], [1L, Day.AddHours(6), 10L]);
        var twoDays = await ViewAsync(events, TimeSpan.FromDays(2), [Agg(AggregationFunction.Sum, "amount", "2d")]);
        var oneDay = await ViewAsync(events, TimeSpan.FromDays(1), [Agg(AggregationFunction.Sum, "amount", "1d")]);

        var rows = await RetrieveAsync(await UserRowsAsync((1, Day.AddDays(2).AddHours(12)), (1, At(10))), twoDays, oneDay);

        // 2d at 04-14 12:00: t - 2d = 04-12 12:00 (day 18729.5), down to an even day: 18728 = 04-11.
        // [04-11 00:00, 04-14 12:00) holds 1 and 10 -> 11. (Counting 2-day tiles from another origin,
        // such as DuckDB's time_bucket default 2000-01-03, day 10959, would start at 04-12 and give 10.)
        Assert.Equal(11L, rows[0]["amount_sum_2d"]);

        // 1d at 04-12 10:00: [04-11 00:00, 04-12 10:00) holds 1 and 10 -> 11.
        Assert.Equal(11L, rows[1]["amount_sum_1d"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_TimesBeforeTheEpoch_RoundDownNotTowardZero()
    {
        // Events on 1969-12-31: 1 at 22:10, 2 at 22:50, 4 at 23:40. Row at 23:30, window 1h, hop 1h:
        // t - 1h = 22:30, rounded down to 22:00 -> [22:00, 23:30) holds 1 and 2 -> 3. (Rounding toward
        // zero, which is toward the epoch, would give 23:00 and no event.)
        var eve = new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero);
        var events = TestTable.Of(AmountColumns, [1L, eve.AddHours(22).AddMinutes(10), 1L], [1L, eve.AddHours(22).AddMinutes(50), 2L], [1L, eve.AddHours(23).AddMinutes(40), 4L]);
        var request = await ViewAsync(events, TimeSpan.FromHours(1), [Agg(AggregationFunction.Sum, "amount", "1h")]);

        var rows = await RetrieveAsync(await UserRowsAsync((1, eve.AddHours(23).AddMinutes(30))), request);

        Assert.Equal(3L, rows.Single()["amount_sum_1h"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityRows_EachOnceInInputOrderWithTheirColumns()
    {
        // Duplicate rows, a key without events and rows out of time order all come back once each,
        // in input order. Events of user 1: 1 at 09:00, 2 at 09:30, 4 at 10:00 (tied with two rows).
        var events = TestTable.Of(AmountColumns, [1L, At(9), 1L], [1L, At(9, 30), 2L], [1L, At(10), 4L], [2L, At(9), 8L]);
        var request = await ViewAsync(events, TimeSpan.Zero, [Agg(AggregationFunction.Sum, "amount", "1h"), Agg(AggregationFunction.Count, null, "1h")]);
        var entities = await EntitiesCsvAsync(
            "label,user_id,event_timestamp\nr0,1,2021-04-12T10:00:00Z\nr1,2,2021-04-12T10:00:00Z\nr2,1,2021-04-12T10:00:00Z\n" +
            "r3,3,2021-04-12T09:00:00Z\nr4,1,2021-04-12T09:30:00Z\nr5,1,2021-04-12T10:30:00Z\n");

        var rows = await RetrieveAsync(entities, request);

        Assert.Equal(["label", "user_id", "event_timestamp", "amount_sum_1h", "count_1h"], rows[0].Keys);
        Assert.Equal(["r0", "r1", "r2", "r3", "r4", "r5"], rows.Select(r => r["label"]));

        // r0, r2: [09:00, 10:00) -> 1 + 2; r1: 8 at 09:00 -> 8; r3: none; r4: [08:30, 09:30) -> 1;
        // r5: [09:30, 10:30) -> 2 + 4.
        Assert.Equal([3L, 8L, 3L, null, 1L, 6L], rows.Select(r => r["amount_sum_1h"]));
        Assert.Equal([2L, 1L, 2L, 0L, 1L, 2L], rows.Select(r => r["count_1h"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_WithFeatureViews_ColumnsInTheRequestedOrder()
    {
        // A feature view (latest row not after t) and an aggregation view over the same events,
        // their columns interleaved as asked.
        var events = TestTable.Of(AmountColumns, [1L, At(9), 1L], [1L, At(9, 30), 2L], [1L, At(10), 4L]);
        var aggregation = await ViewAsync(events, TimeSpan.Zero, [Agg(AggregationFunction.Sum, "amount", "1h"), Agg(AggregationFunction.Count, null, "1h")]);
        var source = aggregation.Source;
        var view = new FeatureView { Name = "latest", Entities = ["user"], Source = source.Name, Schema = [new Field { Name = "amount", Dtype = DataType.Int64 }] };
        var set = new DefinitionSet { Entities = [User], Sources = [source], FeatureViews = [view] };
        var latest = ViewRequest.For(set, view, [new SelectedFeature(view.Schema[0], "latest_amount")]);

        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalRequest(await UserRowsAsync((1, At(10)), (1, At(9, 45))), [latest])
        {
            Aggregations = [aggregation],
            FeatureOrder = ["count_1h", "latest_amount", "amount_sum_1h"],
        });
        var rows = await ResultRows.ReadAllAsync(result);

        Assert.Equal(["user_id", "event_timestamp", "count_1h", "latest_amount", "amount_sum_1h"], result.ColumnNames);
        Assert.Equal(["user_id", "event_timestamp", "count_1h", "latest_amount", "amount_sum_1h"], rows[0].Keys);

        // At 10:00 the latest row is the one at 10:00 (feature views include t), the window excludes it.
        Assert.Equal([4L, 2L], rows.Select(r => r["latest_amount"]));
        Assert.Equal([3L, 3L], rows.Select(r => r["amount_sum_1h"]));
        Assert.Equal([2L, 2L], rows.Select(r => r["count_1h"]));
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Abs(expected), $"expected {expected}, got {actual}");
}
