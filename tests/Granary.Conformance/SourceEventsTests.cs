using Granary.Definitions;
using Granary.Offline;

namespace Granary.Conformance;

/// <summary>
/// <see cref="OfflineStore.PullEventsAsync"/>, which materializes aggregation views: the events of a
/// source in a half-open range, grouped by entity and sorted by time. Expected rows are hand-worked.
/// </summary>
public abstract class SourceEventsTests : OfflineStoreSuite
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A suite over the store that <see cref="OfflineStoreSuite.CreateStoreAsync"/> builds.</summary>
    protected SourceEventsTests()
        : base("granary-events-")
    {
    }

    /// <summary>Stores <paramref name="table"/> where the store can read it and returns a source over it.</summary>
    protected abstract Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping);

    private static DateTimeOffset At(int hour, int minute = 0) => Day.AddHours(hour).AddMinutes(minute);

    private static readonly (string, string)[] TxnColumns =
        [("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("amount", "float64"), ("qty", "int32"), ("note", "string")];

    private async Task<List<Dictionary<string, object?>>> PullAsync(EventsRequest request, DateTimeOffset start, DateTimeOffset end)
    {
        var rows = new List<Dictionary<string, object?>>();
        await foreach (var batch in Store.PullEventsAsync(request, start, end))
        {
            rows.AddRange(ResultRows.ToRows(batch));
        }

        return rows;
    }

    private static EventsRequest Request(DataSource source, params (string Name, string Type)[] columns) => new(
        source, [new JoinKey("user_id", DataType.Int64)], columns.Select(c => new Field { Name = c.Name, Dtype = DataType.Parse(c.Type) }).ToArray());

    [Fact]
    public async Task PullEventsAsync_HalfOpenRange_GivesEventsByKeyThenTimeThenCreated()
    {
        var source = await CreateSourceAsync("txn", TestTable.Of(
            TxnColumns,
            [2L, At(10), At(10), 1.0, 1, "a"],
            [1L, At(11), At(11, 5), 2.0, 2, "b"],
            [1L, At(9), null, 3.0, null, "c"],       // exactly the start: in
            [1L, At(11), At(11, 1), null, 4, "d"],
            [3L, At(12), At(12), 5.0, 5, "e"],        // exactly the end: out
            [null, At(10), At(10), 6.0, 6, "f"],      // no key: out
            [2L, At(8, 59), At(9), 7.0, 7, "g"],      // before the start: out
            [1L, At(11), null, 8.0, 8, "h"]), "event_timestamp", "created", null);

        var rows = await PullAsync(Request(source, ("amount", "float64"), ("qty", "int32")), At(9), At(12));

        Assert.Equal([1L, 1L, 1L, 1L, 2L], rows.Select(r => r["user_id"]));
        Assert.Equal([At(9), At(11), At(11), At(11), At(10)], rows.Select(r => r[OfflineStore.EventTimestampColumn]));
        Assert.Equal([null, null, At(11, 1), At(11, 5), At(10)], rows.Select(r => r[OfflineStore.CreatedTimestampColumn]));
        Assert.Equal([3.0, 8.0, null, 2.0, 1.0], rows.Select(r => r["amount"]));
        Assert.Equal([null, 8, 4, 2, 1], rows.Select(r => r["qty"]));
        Assert.Equal(["user_id", OfflineStore.EventTimestampColumn, OfflineStore.CreatedTimestampColumn, "amount", "qty"], rows[0].Keys);
    }

    [Fact]
    public async Task PullEventsAsync_SourceWithoutCreatedColumn_GivesNullCreatedTimes()
    {
        var source = await CreateSourceAsync("plain", TestTable.Of(
            [("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("amount", "float64")],
            [5L, At(10), 1.5],
            [5L, At(9), 2.5]), "event_timestamp", null, null);

        var rows = await PullAsync(Request(source, ("amount", "float64")), Day, Day.AddDays(1));

        Assert.Equal([At(9), At(10)], rows.Select(r => r[OfflineStore.EventTimestampColumn]));
        Assert.All(rows, r => Assert.Null(r[OfflineStore.CreatedTimestampColumn]));
        Assert.Equal([2.5, 1.5], rows.Select(r => r["amount"]));
    }

    [Fact]
    public async Task PullEventsAsync_FieldMappingAndNarrowKey_ReadsMappedColumnsCastToTheirTypes()
    {
        // The source names its key uid (int32) and its time ts; the view reads them as user_id (int64) and event_timestamp.
        var source = await CreateSourceAsync("mapped", TestTable.Of(
            [("uid", "int32"), ("ts", "unix_timestamp"), ("spent", "float64")],
            [7, At(10), 1.25],
            [6, At(11), 2.5]), "event_timestamp",
            null, new Dictionary<string, string> { ["uid"] = "user_id", ["ts"] = "event_timestamp", ["spent"] = "amount" });

        var rows = await PullAsync(Request(source, ("amount", "float64")), Day, Day.AddDays(1));

        Assert.Equal([6L, 7L], rows.Select(r => r["user_id"]));
        Assert.Equal([2.5, 1.25], rows.Select(r => r["amount"]));
    }

    [Fact]
    public async Task PullEventsAsync_CompositeKeys_KeepEachEntityTogether()
    {
        var source = await CreateSourceAsync("pairs", TestTable.Of(
            [("user_id", "int64"), ("merchant", "string"), ("event_timestamp", "unix_timestamp"), ("amount", "float64")],
            [1L, "b", At(10), 1.0],
            [1L, "a", At(12), 2.0],
            [2L, "a", At(9), 3.0],
            [1L, "a", At(11), 4.0],
            [1L, "b", At(9), 5.0]), "event_timestamp", null, null);
        var request = new EventsRequest(source, [new JoinKey("user_id", DataType.Int64), new JoinKey("merchant", DataType.String)], [new Field { Name = "amount", Dtype = DataType.Float64 }]);

        var rows = await PullAsync(request, Day, Day.AddDays(1));

        Assert.Equal(["1a", "1a", "1b", "1b", "2a"], rows.Select(r => $"{r["user_id"]}{r["merchant"]}"));
        Assert.Equal([4.0, 2.0, 5.0, 1.0, 3.0], rows.Select(r => r["amount"]));
    }

    [Fact]
    public async Task PullEventsAsync_EmptyRange_GivesNoRows()
    {
        var source = await CreateSourceAsync("one", TestTable.Of(
            [("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("amount", "float64")],
            [1L, At(10), 1.0]), "event_timestamp", null, null);

        Assert.Empty(await PullAsync(Request(source, ("amount", "float64")), At(10, 1), At(11)));
        Assert.Empty(await PullAsync(Request(source, ("amount", "float64")), At(9), At(10)));
    }
}
