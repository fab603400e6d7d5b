using Granary.Definitions;
using Granary.Online;

namespace Granary.Conformance;

/// <summary>
/// What every online store must do. A backend's test project subclasses this unchanged and says how
/// to build its store; each test works in a project of its own so tests never see each other's data.
/// </summary>
public abstract partial class OnlineStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private OnlineStore? _store;

    /// <summary>The store under test, built before each test by <see cref="CreateStoreAsync"/>.</summary>
    protected OnlineStore Store => _store ?? throw new InvalidOperationException("the store is built in InitializeAsync");

    /// <summary>Builds a store on the backend's test server or folder.</summary>
    protected abstract Task<OnlineStore> CreateStoreAsync();

    /// <summary>
    /// Builds a store of the backend that cannot reach its storage (a port nobody listens on, a server
    /// that was stopped, a path that cannot be opened) and returns it with the text that tells the user
    /// which store it is (an endpoint, a path): every failure message of that store must hold it.
    /// </summary>
    protected abstract Task<(OnlineStore Store, string Name)> CreateUnreachableStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>A project name no other test (or earlier run against the same server) uses.</summary>
    protected static string NewProject() => "p" + Guid.NewGuid().ToString("N")[..12];

    private static Field F(string name, string dtype) => new() { Name = name, Dtype = DataType.Parse(dtype) };

    private static FeatureView View(string name, params Field[] schema) =>
        new() { Name = name, Entities = ["driver"], Source = "src", Schema = schema };

    private static EntityKey Key(long id) => new(["driver_id"], [id]);

    private static OnlineRow Row(long id, DateTimeOffset ts, params object?[] values) => new(Key(id), ts, values);

    private Task PrepareAsync(string project, params FeatureView[] views) => Store.UpdateAsync(project, views, []);

    private async Task<IReadOnlyList<OnlineRead?>> ReadAsync(string project, FeatureView view, IReadOnlyList<EntityKey> keys, params string[] features)
    {
        var fields = features.Length == 0 ? view.Schema : features.Select(f => view.FindFeature(f)!).ToArray();
        var result = await Store.ReadAsync(project, [new OnlineViewRead(view, fields)], keys);
        Assert.Single(result);
        Assert.Equal(keys.Count, result[0].Count);
        return result[0];
    }

    private async Task<OnlineRead?> ReadOneAsync(string project, FeatureView view, long id, params string[] features) =>
        (await ReadAsync(project, view, [Key(id)], features))[0];

    private static readonly FeatureView AllTypes = View(
        "all_types",
        F("i32", "int32"), F("i64", "int64"), F("f32", "float32"), F("f64", "float64"),
        F("s", "string"), F("b", "bytes"), F("flag", "bool"), F("ts", "unix_timestamp"),
        F("i32s", "int32_list"), F("i64s", "int64_list"), F("f32s", "float32_list"), F("f64s", "float64_list"),
        F("ss", "string_list"), F("bs", "bytes_list"), F("flags", "bool_list"), F("tss", "unix_timestamp_list"));

    [Fact]
    public async Task ReadAsync_EveryDtypeWritten_ReturnsSameValuesAndTypes()
    {
        var project = NewProject();
        await PrepareAsync(project, AllTypes);
        var when = new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(80);
        object?[] values =
        [
            -7, 9_000_000_000L, 1.5f, -2.25, "héllo", new byte[] { 0, 1, 255 }, true, when,
            new[] { 1, -2 }, new[] { 3L, long.MaxValue }, new[] { 0.5f }, new[] { 1e300, -0.0 },
            new[] { "a", string.Empty }, new[] { new byte[] { 9 }, Array.Empty<byte>() }, new[] { false, true }, new[] { T0, when },
        ];
        await Store.WriteBatchAsync(project, AllTypes, [Row(1, T0, values)]);

        var read = await ReadOneAsync(project, AllTypes, 1);

        Assert.NotNull(read);
        Assert.Equal(T0, read.EventTimestamp);
        Assert.Equal(16, read.Values.Count);
        Assert.Equal(-7, Assert.IsType<int>(read.Values[0]));
        Assert.Equal(9_000_000_000L, Assert.IsType<long>(read.Values[1]));
        Assert.Equal(1.5f, Assert.IsType<float>(read.Values[2]));
        Assert.Equal(-2.25, Assert.IsType<double>(read.Values[3]));
        Assert.Equal("héllo", read.Values[4]);
        Assert.Equal(new byte[] { 0, 1, 255 }, read.Values[5]);
        Assert.Equal(true, read.Values[6]);
        Assert.Equal(when, read.Values[7]);
        Assert.Equal(new[] { 1, -2 }, Assert.IsType<int[]>(read.Values[8]));
        Assert.Equal(new[] { 3L, long.MaxValue }, Assert.IsType<long[]>(read.Values[9]));
        Assert.Equal(new[] { 0.5f }, Assert.IsType<float[]>(read.Values[10]));
        Assert.Equal(new[] { 1e300, -0.0 }, Assert.IsType<double[]>(read.Values[11]));
        Assert.Equal(new[] { "a", string.Empty }, Assert.IsType<string?[]>(read.Values[12]));
        Assert.Equal(new[] { new byte[] { 9 }, Array.Empty<byte>() }, Assert.IsType<byte[]?[]>(read.Values[13]));
        Assert.Equal(new[] { false, true }, Assert.IsType<bool[]>(read.Values[14]));
        Assert.Equal(new[] { T0, when }, Assert.IsType<DateTimeOffset[]>(read.Values[15]));
    }

    [Fact]
    public async Task ReadAsync_NullsWritten_ReturnsFoundRowWithNulls()
    {
        var project = NewProject();
        await PrepareAsync(project, AllTypes);
        await Store.WriteBatchAsync(project, AllTypes, [Row(2, T0, new object?[16])]);

        var read = await ReadOneAsync(project, AllTypes, 2);

        Assert.NotNull(read);
        Assert.Equal(T0, read.EventTimestamp);
        Assert.All(read.Values, Assert.Null);
    }

    [Fact]
    public async Task ReadAsync_UnknownKey_ReturnsNullForThatKeyOnly()
    {
        var project = NewProject();
        var view = View("stats", F("trips", "int64"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [Row(1, T0, 10L)]);

        var reads = await ReadAsync(project, view, [Key(404), Key(1), Key(405)]);

        Assert.Null(reads[0]);
        Assert.Equal(10L, reads[1]!.Values[0]);
        Assert.Null(reads[2]);
    }

    [Fact]
    public async Task ReadAsync_ViewNeverWritten_ReturnsNull()
    {
        var project = NewProject();
        var applied = View("applied", F("x", "int64"));
        var unknown = View("never_applied", F("x", "int64"));
        await PrepareAsync(project, applied);

        Assert.Null(await ReadOneAsync(project, applied, 1));
        Assert.Null(await ReadOneAsync(project, unknown, 1));
    }

    [Fact]
    public async Task WriteBatchAsync_OlderEventTimestamp_DoesNotOverwriteNewer()
    {
        var project = NewProject();
        var view = View("stats", F("trips", "int64"), F("rating", "float64"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [Row(1, T0.AddHours(2), 20L, 4.5)]);

        await Store.WriteBatchAsync(project, view, [Row(1, T0.AddHours(1), 10L, 3.0)]);

        var read = await ReadOneAsync(project, view, 1);
        Assert.Equal(T0.AddHours(2), read!.EventTimestamp);
        Assert.Equal([20L, 4.5], read.Values);
    }

    [Fact]
    public async Task WriteBatchAsync_EqualEventTimestamp_Overwrites()
    {
        var project = NewProject();
        var view = View("stats", F("trips", "int64"), F("rating", "float64"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [Row(1, T0, 20L, 4.5)]);

        await Store.WriteBatchAsync(project, view, [Row(1, T0, 21L, null)]);

        var read = await ReadOneAsync(project, view, 1);
        Assert.Equal(T0, read!.EventTimestamp);
        Assert.Equal([21L, null], read.Values);
    }

    [Fact]
    public async Task WriteBatchAsync_NewerEventTimestamp_Overwrites()
    {
        var project = NewProject();
        var view = View("stats", F("trips", "int64"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [Row(1, T0, 1L)]);

        await Store.WriteBatchAsync(project, view, [Row(1, T0.AddTicks(10), 2L)]);

        var read = await ReadOneAsync(project, view, 1);
        Assert.Equal(T0.AddTicks(10), read!.EventTimestamp);
        Assert.Equal([2L], read.Values);
    }

    [Fact]
    public async Task WriteBatchAsync_SameKeyTwiceInOneBatch_KeepsNewerWhateverTheOrder()
    {
        var project = NewProject();
        var view = View("stats", F("trips", "int64"));
        await PrepareAsync(project, view);

        await Store.WriteBatchAsync(project, view, [Row(1, T0.AddHours(3), 30L), Row(1, T0.AddHours(1), 10L), Row(2, T0, 1L), Row(2, T0.AddHours(1), 2L)]);

        var reads = await ReadAsync(project, view, [Key(1), Key(2)]);
        Assert.Equal([30L], reads[0]!.Values);
        Assert.Equal(T0.AddHours(3), reads[0]!.EventTimestamp);
        Assert.Equal([2L], reads[1]!.Values);
    }

    [Fact]
    public async Task WriteBatchAsync_SameBatchTwice_GivesSameState()
    {
        var project = NewProject();
        var view = View("stats", F("trips", "int64"), F("name", "string"));
        await PrepareAsync(project, view);
        OnlineRow[] batch = [Row(1, T0, 5L, "a"), Row(2, T0.AddMinutes(1), 6L, null)];

        await Store.WriteBatchAsync(project, view, batch);
        await Store.WriteBatchAsync(project, view, batch);

        var reads = await ReadAsync(project, view, [Key(1), Key(2)]);
        Assert.Equal(new OnlineRead?[] { new(T0, [5L, "a"]), new(T0.AddMinutes(1), [6L, null]) }.Select(Show), reads.Select(Show));
    }

    [Fact]
    public async Task ReadAsync_NoFeatures_ReturnsOnlyTheEventTimeOfFoundRows()
    {
        // On-demand views may read a view only for its event time.
        var project = NewProject();
        var view = View("stats", F("a", "int64"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [Row(1, T0.AddHours(2), 5L)]);

        var result = await Store.ReadAsync(project, [new OnlineViewRead(view, [])], [Key(1), Key(2)]);

        Assert.Equal(T0.AddHours(2), result[0][0]!.EventTimestamp);
        Assert.Empty(result[0][0]!.Values);
        Assert.Null(result[0][1]);
    }

    [Fact]
    public async Task ReadAsync_SubsetOfFeatures_ReturnsThemInRequestedOrder()
    {
        var project = NewProject();
        var view = View("stats", F("a", "int64"), F("b", "string"), F("c", "float64"), F("d", "bool"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [Row(1, T0, 1L, "two", 3.0, true)]);

        var read = await ReadOneAsync(project, view, 1, "d", "a", "c");

        Assert.Equal([true, 1L, 3.0], read!.Values);
    }

    [Fact]
    public async Task ReadAsync_SeveralViewsOfSameKey_DoNotInterfere()
    {
        var project = NewProject();
        var trips = View("trips", F("count", "int64"), F("last", "string"));
        var ratings = View("ratings", F("count", "int64"), F("avg", "float64"));
        await PrepareAsync(project, trips, ratings);
        await Store.WriteBatchAsync(project, trips, [Row(1, T0.AddHours(5), 100L, "x")]);

        // Older than the trips row: each view keeps its own event time, so this still lands.
        await Store.WriteBatchAsync(project, ratings, [Row(1, T0, 7L, 4.0)]);

        var result = await Store.ReadAsync(
            project,
            [new OnlineViewRead(ratings, ratings.Schema), new OnlineViewRead(trips, [trips.Schema[1], trips.Schema[0]])],
            [Key(1), Key(2)]);
        Assert.Equal(2, result.Count);
        Assert.Equal(Show(new OnlineRead(T0, [7L, 4.0])), Show(result[0][0]));
        Assert.Equal(Show(new OnlineRead(T0.AddHours(5), ["x", 100L])), Show(result[1][0]));
        Assert.Null(result[0][1]);
        Assert.Null(result[1][1]);
    }

    [Fact]
    public async Task ReadAsync_CompositeAndStringKeys_KeepEachKeyApart()
    {
        var project = NewProject();
        var view = new FeatureView
        {
            Name = "pair",
            Entities = ["driver", "customer"],
            Source = "src",
            Schema = [F("v", "string")],
        };
        await PrepareAsync(project, view);
        static EntityKey Pair(long driver, string customer) => new(["driver_id", "customer_id"], [driver, customer]);
        await Store.WriteBatchAsync(project, view,
        [
            new(Pair(1, "a"), T0, ["1a"]),
            new(Pair(1, "b"), T0, ["1b"]),
            new(Pair(2, "a"), T0, ["2a"]),
            new(Pair(1, "a:b=c\u001f"), T0, ["odd"]),
        ]);

        var result = await Store.ReadAsync(
            project, [new OnlineViewRead(view, view.Schema)], [Pair(2, "a"), Pair(1, "b"), Pair(1, "a"), Pair(1, "a:b=c\u001f"), Pair(2, "b")]);

        Assert.Equal(["2a", "1b", "1a", "odd", null], result[0].Select(r => r?.Values[0]));
    }

    [Fact]
    public async Task ReadAsync_KeysDifferingOnlyInJoinKeyName_AreDifferentEntities()
    {
        var project = NewProject();
        var view = View("stats", F("v", "int64"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [new(new EntityKey(["driver_id"], [1L]), T0, [1L])]);

        var result = await Store.ReadAsync(project, [new OnlineViewRead(view, view.Schema)], [new EntityKey(["rider_id"], [1L])]);

        Assert.Null(result[0][0]);
    }

    [Fact]
    public async Task ReadAsync_Int32KeyWrittenAndInt64KeyRead_FindsSameEntity()
    {
        var project = NewProject();
        var view = View("stats", F("v", "int64"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [new(new EntityKey(["driver_id"], [5]), T0, [55L])]);

        var read = await ReadOneAsync(project, view, 5L);

        Assert.Equal([55L], read!.Values);
    }

    [Fact]
    public async Task ReadAsync_SameViewAndKeyInTwoProjects_AreIsolated()
    {
        var first = NewProject();
        var second = NewProject();
        var view = View("stats", F("v", "int64"));
        await PrepareAsync(first, view);
        await PrepareAsync(second, view);

        await Store.WriteBatchAsync(first, view, [Row(1, T0.AddHours(1), 1L)]);
        await Store.WriteBatchAsync(second, view, [Row(1, T0, 2L)]);

        Assert.Equal([1L], (await ReadOneAsync(first, view, 1))!.Values);
        Assert.Equal([2L], (await ReadOneAsync(second, view, 1))!.Values);
    }

    [Fact]
    public async Task UpdateAsync_DeletedView_RemovesItsDataAndKeepsOthers()
    {
        var project = NewProject();
        var gone = View("gone", F("v", "int64"));
        var kept = View("kept", F("v", "int64"));
        await PrepareAsync(project, gone, kept);
        await Store.WriteBatchAsync(project, gone, [Row(1, T0, 1L), Row(2, T0, 2L)]);
        await Store.WriteBatchAsync(project, kept, [Row(1, T0, 10L)]);

        await Store.UpdateAsync(project, [kept], [gone]);

        Assert.Equal([null, null], await ReadAsync(project, gone, [Key(1), Key(2)]));
        Assert.Equal([10L], (await ReadOneAsync(project, kept, 1))!.Values);

        // Re-creating the view starts empty, and an old event time is accepted again.
        await PrepareAsync(project, gone, kept);
        Assert.Null(await ReadOneAsync(project, gone, 1));
        await Store.WriteBatchAsync(project, gone, [Row(1, T0.AddDays(-1), 3L)]);
        Assert.Equal([3L], (await ReadOneAsync(project, gone, 1))!.Values);
    }

    [Fact]
    public async Task UpdateAsync_FeatureTypeChanged_NeverReadsOldBytesAsNewType()
    {
        var project = NewProject();
        var before = View("stats", F("v", "int64"), F("w", "int64"));
        var after = View("stats", F("v", "string"), F("w", "int64"));
        await PrepareAsync(project, before);
        await Store.WriteBatchAsync(project, before, [Row(1, T0, 42L, 7L)]);

        await PrepareAsync(project, after);

        // A store may drop the whole row or only the changed feature; it must not misread it.
        var read = await ReadOneAsync(project, after, 1, "v");
        Assert.True(read is null || read.Values[0] is null);
        await Store.WriteBatchAsync(project, after, [Row(1, T0, "42", 8L)]);
        Assert.Equal(["42", 8L], (await ReadOneAsync(project, after, 1))!.Values);
    }

    [Fact]
    public async Task UpdateAsync_CalledTwiceWithSameViews_KeepsData()
    {
        var project = NewProject();
        var view = View("stats", F("v", "int64"));
        await PrepareAsync(project, view);
        await Store.WriteBatchAsync(project, view, [Row(1, T0, 1L)]);

        await PrepareAsync(project, view);

        Assert.Equal([1L], (await ReadOneAsync(project, view, 1))!.Values);
    }

    [Fact]
    public async Task TeardownAsync_RemovesProjectAndLeavesOtherProjectIntact()
    {
        var doomed = NewProject();
        var other = NewProject();
        var a = View("a", F("v", "int64"));
        var b = View("b", F("v", "string"));
        foreach (var project in new[] { doomed, other })
        {
            await PrepareAsync(project, a, b);
            await Store.WriteBatchAsync(project, a, [Row(1, T0, 1L), Row(2, T0, 2L)]);
            await Store.WriteBatchAsync(project, b, [Row(1, T0, "one")]);
        }

        await Store.TeardownAsync(doomed);

        Assert.Equal([null, null], await ReadAsync(doomed, a, [Key(1), Key(2)]));
        Assert.Null(await ReadOneAsync(doomed, b, 1));
        Assert.Equal([2L], (await ReadOneAsync(other, a, 2))!.Values);
        Assert.Equal(["one"], (await ReadOneAsync(other, b, 1))!.Values);

        // The project can be used again after a teardown.
        await PrepareAsync(doomed, a);
        await Store.WriteBatchAsync(doomed, a, [Row(1, T0.AddDays(-3), 9L)]);
        Assert.Equal([9L], (await ReadOneAsync(doomed, a, 1))!.Values);
    }

    [Fact]
    public async Task TeardownAsync_UnknownProject_LeavesOtherProjectsIntact()
    {
        var kept = NewProject();
        var view = View("stats", F("v", "int64"));
        await PrepareAsync(kept, view);
        await Store.WriteBatchAsync(kept, view, [Row(1, T0, 7L)]);

        await Store.TeardownAsync(NewProject());

        Assert.Equal([7L], (await ReadOneAsync(kept, view, 1))!.Values);
    }

    [Fact]
    public async Task WriteBatchAsync_TenThousandRows_ReadsAllBack()
    {
        const int count = 10_000;
        var project = NewProject();
        var view = View("big", F("n", "int64"), F("label", "string"), F("score", "float32"));
        await PrepareAsync(project, view);
        var rows = Enumerable.Range(0, count).Select(i => Row(i, T0.AddSeconds(i), (long)i * 3, "r" + i, i / 4f)).ToArray();

        await Store.WriteBatchAsync(project, view, rows);

        var keys = Enumerable.Range(0, count + 1).Select(i => Key(i)).ToArray();
        var reads = await ReadAsync(project, view, keys);
        for (var i = 0; i < count; i++)
        {
            var read = reads[i];
            Assert.NotNull(read);
            Assert.Equal(T0.AddSeconds(i), read.EventTimestamp);
            Assert.Equal((long)i * 3, read.Values[0]);
            Assert.Equal("r" + i, read.Values[1]);
            Assert.Equal(i / 4f, read.Values[2]);
        }

        Assert.Null(reads[count]);
    }

    [Fact]
    public async Task ReadAsync_WhileWriting_NeverFailsAndSeesWholeRows()
    {
        var project = NewProject();
        var view = View("live", F("gen", "int64"), F("copy", "string"));
        await PrepareAsync(project, view);
        var keys = Enumerable.Range(0, 200).Select(i => Key(i)).ToArray();
        using var done = new CancellationTokenSource();

        var writer = Task.Run(async () =>
        {
            for (var gen = 1; gen <= 20; gen++)
            {
                var g = (long)gen;
                await Store.WriteBatchAsync(project, view, keys.Select(k => new OnlineRow(k, T0.AddMinutes(g), [g, g.ToString(System.Globalization.CultureInfo.InvariantCulture)])).ToArray());
            }
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!writer.IsCompleted || reads == 0)
            {
                var result = await ReadAsync(project, view, keys);
                foreach (var read in result)
                {
                    if (read is not null)
                    {
                        // The values and event time of one row always come from the same write.
                        var gen = Assert.IsType<long>(read.Values[0]);
                        Assert.Equal(gen.ToString(System.Globalization.CultureInfo.InvariantCulture), read.Values[1]);
                        Assert.Equal(T0.AddMinutes(gen), read.EventTimestamp);
                    }
                }

                reads++;
            }

            return reads;
        })).ToArray();

        await writer;
        var counts = await Task.WhenAll(readers);

        Assert.All(counts, c => Assert.True(c > 0));
        Assert.All(await ReadAsync(project, view, keys), r => Assert.Equal([20L, "20"], r!.Values));
    }

    [Fact]
    public async Task PingAsync_ReachableAndUnreachableStores_SucceedsOnlyWhereTheStoreAnswers()
    {
        var (unreachable, name) = await CreateUnreachableStoreAsync();
        await using (unreachable)
        {
            var reachable = await Record.ExceptionAsync(() => Store.PingAsync());
            var error = await Assert.ThrowsAnyAsync<GranaryException>(() => unreachable.PingAsync());

            Assert.Null(reachable);
            Assert.Contains("online store", error.Message, StringComparison.Ordinal);
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }

    private static string Show(OnlineRead? read) => read is null
        ? "<null>"
        : read.EventTimestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(",", read.Values.Select(v => v?.ToString() ?? "<null>"));
}
