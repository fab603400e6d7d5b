using Granary.Definitions;
using Granary.Online;
using StackExchange.Redis;

namespace Granary.Redis.Tests;

/// <summary>
/// Layout 2 (a blob per view), the layout marker, and rows of layout 1 (a field per feature) written
/// with raw commands as release 0.1 wrote them.
/// </summary>
public sealed class RedisLayoutVersionTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    // The row fields: "stats#" and the first 12 hex digits of SHA-256 of the schema lines, worked with Python's hashlib.
    private const string StatsField = "stats#9aedd996caf8";                      // "trips:int64"
    private const string StatsWithTierField = "stats#1df63fbf8886";              // "trips:int64\ntier:string"

    private static readonly FeatureView Stats = new()
    {
        Name = "stats",
        Entities = ["driver"],
        Source = "s",
        Schema = [new Field { Name = "trips", Dtype = DataType.Int64 }],
    };

    private static readonly FeatureView StatsWithTier = Stats with { Schema = [.. Stats.Schema, new Field { Name = "tier", Dtype = DataType.String }] };

    private static readonly FeatureView StatsAsString = Stats with { Schema = [new Field { Name = "trips", Dtype = DataType.String }] };

    private static readonly EntityKey Driver = new(["driver_id"], [1001L]);

    // int64 5 in the shared codec: format byte 01, then 8 bytes little-endian.
    private static readonly byte[] Five = [0x01, 0x05, 0, 0, 0, 0, 0, 0, 0];

    private ConnectionMultiplexer? _connection;

    private IDatabase Raw => _connection!.GetDatabase();

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task WriteBatchAsync_AfterApplyOfNewProject_WritesOneRowFieldAndMarksLayout2()
    {
        var project = NewProject();
        await using var store = NewStore();
        await store.UpdateAsync(project, [Stats], []);

        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(2), [5L])]);

        // Event time 2,000,000 µs as 8 bytes little-endian (80 84 1e 00 ...), then the value behind its length 9.
        var key = project + ":driver_id=i1001";
        Assert.Equal([StatsField], (await Raw.HashKeysAsync(key)).Select(f => f.ToString()));
        Assert.Equal("80841e0000000000" + "09" + "010500000000000000", Convert.ToHexStringLower((byte[])(await Raw.HashGetAsync(key, StatsField))!));
        Assert.Equal("2", (string?)await Raw.StringGetAsync(project + ":_layout"));
        Assert.Equal("trips:int64", (string?)await Raw.HashGetAsync(project + ":_views", "stats"));
    }

    [Fact]
    public async Task WriteBatchAsync_WithoutApply_MarksLayout2Plus1()
    {
        var project = NewProject();
        await using var store = NewStore();

        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(2), [5L])]);

        // Without a SCAN a write cannot know that no row of layout 1 exists, so it assumes some may.
        Assert.Equal("2+1", (string?)await Raw.StringGetAsync(project + ":_layout"));
    }

    [Fact]
    public async Task UpdateAsync_ProjectHoldingLayout1RowsButNeverApplied_MarksLayout2Plus1()
    {
        var project = NewProject();
        await WriteLayout1Async(project, seconds: 2);
        await using var store = NewStore();

        await store.UpdateAsync(project, [Stats], []);

        Assert.Equal("2+1", (string?)await Raw.StringGetAsync(project + ":_layout"));
    }

    [Fact]
    public async Task UpdateAsync_ProjectAppliedByEarlierRelease_MarksLayout2Plus1()
    {
        var project = NewProject();
        await Raw.HashSetAsync(project + ":_views", "stats", "trips:int64");
        await using var store = NewStore();

        await store.UpdateAsync(project, [Stats], []);

        Assert.Equal("2+1", (string?)await Raw.StringGetAsync(project + ":_layout"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadAsync_Layout1Row_ReturnsItsValuesAndEventTime(bool applyFirst)
    {
        var project = NewProject();
        await Raw.HashSetAsync(project + ":_views", "stats", "trips:int64\ntier:string");
        await Raw.HashSetAsync(project + ":driver_id=i1001", [new("_ts:stats", "2000000"), new("stats:trips", Five), new("stats:tier", RedisValue.EmptyString)]);
        await using var store = NewStore();
        if (applyFirst)
        {
            await store.UpdateAsync(project, [StatsWithTier], []);
        }

        var read = await ReadOneAsync(store, project, StatsWithTier);

        Assert.NotNull(read);
        Assert.Equal(At(2), read.EventTimestamp);
        Assert.Equal([5L, null], read.Values);
    }

    [Fact]
    public async Task WriteBatchAsync_NewerRowOnLayout1Key_RewritesTheKeyInLayout2()
    {
        var project = NewProject();
        await WriteLayout1Async(project, seconds: 2);
        await using var store = NewStore();
        await store.UpdateAsync(project, [Stats], []);

        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(3), [6L])]);

        Assert.Equal([StatsField], (await Raw.HashKeysAsync(project + ":driver_id=i1001")).Select(f => f.ToString()));
        var read = await ReadOneAsync(store, project, Stats);
        Assert.Equal(At(3), read!.EventTimestamp);
        Assert.Equal([6L], read.Values);
    }

    [Fact]
    public async Task WriteBatchAsync_OlderRowOnLayout1Key_KeepsTheLayout1Row()
    {
        var project = NewProject();
        await WriteLayout1Async(project, seconds: 2);
        await using var store = NewStore();
        await store.UpdateAsync(project, [Stats], []);

        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(1), [6L])]);

        Assert.Equal(["_ts:stats", "stats:trips"], (await Raw.HashKeysAsync(project + ":driver_id=i1001")).Select(f => f.ToString()).Order(StringComparer.Ordinal));
        var read = await ReadOneAsync(store, project, Stats);
        Assert.Equal(At(2), read!.EventTimestamp);
        Assert.Equal([5L], read.Values);
    }

    [Fact]
    public async Task UpdateAsync_FeatureRetypedInLayout1Project_NeverReadsOldBytesAsNewType()
    {
        var project = NewProject();
        await Raw.HashSetAsync(project + ":_views", "stats", "trips:int64");
        await WriteLayout1Async(project, seconds: 2);
        await using var store = NewStore();

        await store.UpdateAsync(project, [StatsAsString], []);

        // Layout 1 drops the retyped feature's field and keeps the row's event time, as release 0.1 did.
        Assert.Equal(["_ts:stats"], (await Raw.HashKeysAsync(project + ":driver_id=i1001")).Select(f => f.ToString()));
        var read = await ReadOneAsync(store, project, StatsAsString);
        Assert.True(read is null || read.Values[0] is null);
    }

    [Fact]
    public async Task ReadAsync_RowWrittenUnderAnotherSchema_IsNotFound()
    {
        // Another process still holds the old definition of the view: no apply in between.
        var project = NewProject();
        await using var store = NewStore();
        await store.UpdateAsync(project, [Stats], []);
        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(2), [5L])]);

        Assert.Null(await ReadOneAsync(store, project, StatsAsString));
        Assert.Null(await ReadOneAsync(store, project, StatsWithTier));
    }

    [Fact]
    public async Task WriteBatchAsync_NewerRowUnderAnotherSchema_DoesNotHoldAnOlderRowBack()
    {
        var project = NewProject();
        await using var store = NewStore();
        await store.UpdateAsync(project, [Stats], []);
        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(5), [5L])]);

        await store.WriteBatchAsync(project, StatsAsString, [new OnlineRow(Driver, At(1), ["one"])]);

        var now = await ReadOneAsync(store, project, StatsAsString);
        Assert.Equal(At(1), now!.EventTimestamp);
        Assert.Equal(["one"], now.Values);
        Assert.Equal([5L], (await ReadOneAsync(store, project, Stats))!.Values);
    }

    [Fact]
    public async Task UpdateAsync_ChangedSchema_RemovesRowsOfTheOldSchemaOnly()
    {
        var project = NewProject();
        await using var store = NewStore();
        await store.UpdateAsync(project, [Stats], []);
        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(2), [5L])]);
        await store.WriteBatchAsync(project, StatsWithTier, [new OnlineRow(Driver, At(2), [5L, "gold"])]);

        await store.UpdateAsync(project, [StatsWithTier], []);

        Assert.Equal([StatsWithTierField], (await Raw.HashKeysAsync(project + ":driver_id=i1001")).Select(f => f.ToString()));
        Assert.Equal([5L, "gold"], (await ReadOneAsync(store, project, StatsWithTier))!.Values);
    }

    [Fact]
    public async Task WriteBatchAsync_EventTimesBefore1970_StayMonotonic()
    {
        var project = NewProject();
        await using var store = NewStore();
        await store.UpdateAsync(project, [Stats], []);

        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(-10), [1L])]);
        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(-20), [2L])]);
        var kept = await ReadOneAsync(store, project, Stats);
        await store.WriteBatchAsync(project, Stats, [new OnlineRow(Driver, At(1), [3L])]);

        Assert.Equal((At(-10), 1L), (kept!.EventTimestamp, kept.Values[0]));
        Assert.Equal([3L], (await ReadOneAsync(store, project, Stats))!.Values);
    }

    [Theory]
    [InlineData("3", "layout 3")]
    [InlineData("12+2", "layout 12")]
    [InlineData("blob", "unreadable layout marker 'blob'")]
    public async Task ReadAsync_MarkerThisReleaseDoesNotKnow_ThrowsSayingWhy(string marker, string expected)
    {
        var project = NewProject();
        await Raw.StringSetAsync(project + ":_layout", marker);
        await using var store = NewStore();

        var error = await Assert.ThrowsAsync<GranaryException>(() => ReadOneAsync(store, project, Stats));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(project + ":_layout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeardownAsync_RemovesTheMarker()
    {
        var project = NewProject();
        await using var store = NewStore();
        await store.UpdateAsync(project, [Stats], []);

        await store.TeardownAsync(project);

        Assert.False(await Raw.KeyExistsAsync(project + ":_layout"));
    }

    private static string NewProject() => "p" + Guid.NewGuid().ToString("N")[..12];

    private static DateTimeOffset At(int seconds) => DateTimeOffset.UnixEpoch.AddSeconds(seconds);

    private static async Task<OnlineRead?> ReadOneAsync(RedisOnlineStore store, string project, FeatureView view) =>
        (await store.ReadAsync(project, [new OnlineViewRead(view, view.Schema)], [Driver]))[0][0];

    private RedisOnlineStore NewStore() => new(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString });

    /// <summary>Driver 1001's row of <c>stats</c> (trips = 5) as release 0.1 wrote it: a field per feature and <c>_ts:stats</c> in decimal µs.</summary>
    private Task WriteLayout1Async(string project, int seconds) =>
        Raw.HashSetAsync(project + ":driver_id=i1001", [new("_ts:stats", (seconds * 1_000_000L).ToString(System.Globalization.CultureInfo.InvariantCulture)), new("stats:trips", Five)]);
}
