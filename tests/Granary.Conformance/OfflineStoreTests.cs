using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Definitions;
using Granary.Offline;
using Parquet;
using Parquet.Schema;
using Field = Granary.Definitions.Field;

namespace Granary.Conformance;

/// <summary>
/// The contract every offline store passes unchanged. Expected values are worked out by hand from
/// the rows each test writes; times are on 2021-04-12 UTC unless stated.
/// </summary>
public abstract class OfflineStoreTests : OfflineStoreSuite
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private int _sources;

    /// <summary>A suite over the store that <see cref="OfflineStoreSuite.CreateStoreAsync"/> builds.</summary>
    protected OfflineStoreTests()
        : base("granary-offline-")
    {
    }

    /// <summary>
    /// Stores <paramref name="table"/> where the store can read it (a file, a table) and returns a
    /// source over it with the given timestamp columns and field mapping.
    /// </summary>
    protected abstract Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping);

    /// <summary>
    /// Whether the store counts <see cref="OfflineStore.CountLatestAsync"/> (optional in the contract);
    /// a store that does not must return null.
    /// </summary>
    protected virtual bool CountsLatest => true;

    /// <summary>
    /// Whether the store runs entity queries (<see cref="EntityInput.FromSql"/>). A store that runs no
    /// SQL (one that joins in memory) sets it false and must then refuse a query with a
    /// <see cref="GranaryException"/> that says it takes no SQL, rather than fail some other way.
    /// </summary>
    protected virtual bool RunsEntitySql => true;

    /// <summary>A query giving one entity row (driver 1001 at 10:00 UTC) in the store's SQL dialect.</summary>
    protected virtual string OneEntityRowSql =>
        "SELECT CAST(1001 AS BIGINT) AS driver_id, CAST('2021-04-12 10:00:00+00' AS TIMESTAMP WITH TIME ZONE) AS event_timestamp";

    private static DateTimeOffset At(int hour, int minute = 0, int second = 0) => Day.AddHours(hour).AddMinutes(minute).AddSeconds(second);

    private static readonly Entity Driver = new() { Name = "driver", JoinKeys = ["driver_id"] };

    private static readonly (string, string)[] DriverColumns =
        [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float32"), ("trips", "int64")];

    private async Task<ViewRequest> ViewAsync(
        TestTable table, TimeSpan ttl = default, string? created = null, IReadOnlyDictionary<string, string>? mapping = null,
        Entity[]? entities = null, (string Name, string Type)[]? features = null, string timestampField = "event_timestamp",
        bool fullNames = false, string? viewName = null)
    {
        var name = viewName ?? $"view{++_sources}";
        var source = await CreateSourceAsync($"{name}_source", table, timestampField, created, mapping);
        entities ??= [Driver];
        features ??= [("conv_rate", "float32"), ("trips", "int64")];
        var view = new FeatureView
        {
            Name = name,
            Entities = entities.Select(e => e.Name).ToArray(),
            Source = source.Name,
            Ttl = ttl,
            Schema = features.Select(f => new Field { Name = f.Name, Dtype = DataType.Parse(f.Type) }).ToArray(),
        };
        var set = new DefinitionSet { Entities = entities, Sources = [source], FeatureViews = [view] };
        var selected = view.Schema.Select(f => new SelectedFeature(f, fullNames ? $"{view.Name}__{f.Name}" : f.Name)).ToArray();
        return ViewRequest.For(set, view, selected);
    }

    private async Task<EntityInput> EntitiesAsync(TestTable table)
    {
        var path = Path.Combine(Folder, $"entities-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, table.ToCsv());
        return EntityInput.FromFile(path);
    }

    private async Task<EntityInput> EntitiesCsvAsync(string csv)
    {
        var path = Path.Combine(Folder, $"entities-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv);
        return EntityInput.FromFile(path);
    }

    private static TestTable DriverEntities(params (long Driver, DateTimeOffset Time)[] rows) =>
        TestTable.Of([("driver_id", "int64"), ("event_timestamp", "unix_timestamp")], rows.Select(r => new object?[] { r.Driver, r.Time }).ToArray());

    private async Task<List<Dictionary<string, object?>>> RetrieveAsync(EntityInput entities, params ViewRequest[] views)
    {
        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalRequest(entities, views));
        return await ResultRows.ReadAllAsync(result);
    }

    [Fact]
    public async Task GetHistoricalFeatures_SeveralRows_TakesLatestNotAfterEntityTime()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns,
            [1001L, At(8), 0.1f, 10L],
            [1001L, At(9), 0.2f, 20L],
            [1001L, At(11), 0.3f, 30L],
            [1002L, At(9, 30), 0.9f, 90L]));

        var rows = await RetrieveAsync(
            await EntitiesAsync(DriverEntities((1001, At(10)), (1001, At(11)), (1002, At(10)), (1001, At(7)), (1003, At(10)))), view);

        Assert.Equal(5, rows.Count);
        Assert.Equal([0.2f, 0.3f, 0.9f, null, null], rows.Select(r => r["conv_rate"]));
        Assert.Equal([20L, 30L, 90L, null, null], rows.Select(r => r["trips"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_EventExactlyAtEntityTime_IsIncluded()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(10), 0.5f, 5L]));

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)), (1001, At(9, 59, 59)))), view);

        Assert.Equal([0.5f, null], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_Ttl_LowerBoundInclusive()
    {
        // ttl 1h: a row at 09:00 is usable from 09:00 through 10:00 inclusive, not at 10:00:01.
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(9), 0.4f, 4L]), ttl: TimeSpan.FromHours(1));

        var rows = await RetrieveAsync(
            await EntitiesAsync(DriverEntities((1001, At(9)), (1001, At(10)), (1001, At(10, 0, 1)))), view);

        Assert.Equal([0.4f, 0.4f, null], rows.Select(r => r["conv_rate"]));
        Assert.Equal([4L, 4L, null], rows.Select(r => r["trips"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_TtlExpiredLatestRow_DoesNotFallBackToOlderRow()
    {
        // The latest row (08:00) is outside a 1h window at 10:00; an older row is further outside. Nothing is usable.
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(7), 0.1f, 1L], [1001L, At(8), 0.2f, 2L]), ttl: TimeSpan.FromHours(1));

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)), (1001, At(8, 30)))), view);

        Assert.Equal([null, 0.2f], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_TtlZero_HasNoLimit()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, Day.AddYears(-3), 0.7f, 7L]), ttl: TimeSpan.Zero);

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)))), view);

        Assert.Equal(0.7f, rows.Single()["conv_rate"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_EqualEventTimes_GreatestCreatedWins()
    {
        var columns = new (string, string)[]
        {
            ("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("conv_rate", "float32"), ("trips", "int64"),
        };
        var view = await ViewAsync(
            TestTable.Of(columns,
                [1001L, At(9), At(9, 10), 0.6f, 6L],
                [1001L, At(9), At(9, 5), 0.5f, 5L],
                [1001L, At(9), At(9, 1), 0.4f, 4L]),
            created: "created");

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)))), view);

        Assert.Equal(0.6f, rows.Single()["conv_rate"]);
        Assert.Equal(6L, rows.Single()["trips"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_LateBackfillRow_ChosenByEventTimeNotCreatedTime()
    {
        // A backfill written at 15:00 for event time 09:30 is the latest event before 10:00;
        // the row created at 09:45 for event time 09:00 is older in event time.
        var columns = new (string, string)[]
        {
            ("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("conv_rate", "float32"), ("trips", "int64"),
        };
        var view = await ViewAsync(
            TestTable.Of(columns, [1001L, At(9), At(9, 45), 0.1f, 1L], [1001L, At(9, 30), At(15), 0.2f, 2L]),
            created: "created");

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)), (1001, At(9, 15)))), view);

        Assert.Equal([0.2f, 0.1f], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_NullValueInChosenRow_StaysNull()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L], [1001L, At(9), null, 2L]));

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)))), view);

        Assert.Null(rows.Single()["conv_rate"]);
        Assert.Equal(2L, rows.Single()["trips"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_DuplicateAndUnsortedEntityRows_KeepsEveryRowInInputOrderWithExtraColumns()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L], [1002L, At(8), 0.2f, 2L], [1001L, At(12), 0.3f, 3L]));
        var entities = TestTable.Of(
            [("label", "int64"), ("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("note", "string")],
            [1L, 1002L, At(13), "a"],
            [0L, 1001L, At(13), "b"],
            [1L, 1001L, At(9), "c"],
            [1L, 1001L, At(9), "c"],
            [0L, 1002L, At(7), "d"]);

        var rows = await RetrieveAsync(await EntitiesAsync(entities), view);

        Assert.Equal(["label", "driver_id", "event_timestamp", "note", "conv_rate", "trips"], rows[0].Keys);
        Assert.Equal(["a", "b", "c", "c", "d"], rows.Select(r => r["note"]));
        Assert.Equal([1L, 0L, 1L, 1L, 0L], rows.Select(r => r["label"]));
        Assert.Equal([0.2f, 0.3f, 0.1f, 0.1f, null], rows.Select(r => r["conv_rate"]));
        Assert.Equal([At(13), At(13), At(9), At(9), At(7)], rows.Select(r => r["event_timestamp"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_TimestampsWithOffsetsOrNone_AreReadAsUtc()
    {
        // 12:00+02:00 is 10:00Z; a time without offset is UTC. The row at 10:00Z qualifies for both;
        // 09:59+00:00 does not.
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(10), 0.5f, 5L]));
        var entities = await EntitiesCsvAsync(
            "driver_id,event_timestamp\n1001,2021-04-12T12:00:00+02:00\n1001,2021-04-12T09:59:00+00:00\n1001,2021-04-12T05:00:00-05:00\n");

        var rows = await RetrieveAsync(entities, view);

        Assert.Equal([0.5f, null, 0.5f], rows.Select(r => r["conv_rate"]));
        Assert.Equal([At(10), At(9, 59), At(10)], rows.Select(r => r["event_timestamp"]));
        Assert.All(rows, r => Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)r["event_timestamp"]!).Offset));
    }

    [Fact]
    public async Task GetHistoricalFeatures_NaiveTimestampText_IsUtc()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(10), 0.5f, 5L]));
        var entities = await EntitiesCsvAsync("driver_id,event_timestamp\n1001,2021-04-12 10:00:00\n1001,2021-04-12 09:00:00\n");

        var rows = await RetrieveAsync(entities, view);

        Assert.Equal([0.5f, null], rows.Select(r => r["conv_rate"]));
        Assert.Equal(At(10), rows[0]["event_timestamp"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_TwoViewsWithDifferentKeys_JoinEachOnItsOwnKey()
    {
        var customer = new Entity { Name = "customer", JoinKeys = ["customer_id"], ValueType = DataType.String };
        var drivers = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L], [1002L, At(8), 0.2f, 2L]));
        var customers = await ViewAsync(
            TestTable.Of([("customer_id", "string"), ("event_timestamp", "unix_timestamp"), ("balance", "float64")],
                ["c1", At(9), 100.5], ["c2", At(9), 200.25], ["c1", At(11), 300.0]),
            entities: [customer], features: [("balance", "float64")]);
        var entities = TestTable.Of(
            [("driver_id", "int64"), ("customer_id", "string"), ("event_timestamp", "unix_timestamp")],
            [1001L, "c2", At(10)], [1002L, "c1", At(12)], [1002L, "c3", At(10)]);

        var rows = await RetrieveAsync(await EntitiesAsync(entities), drivers, customers);

        Assert.Equal([0.1f, 0.2f, 0.2f], rows.Select(r => r["conv_rate"]));
        Assert.Equal([200.25, 300.0, null], rows.Select(r => r["balance"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_CompositeKey_MatchesOnAllKeys()
    {
        var article = new Entity { Name = "article", JoinKeys = ["article_id"] };
        var user = new Entity { Name = "user", JoinKeys = ["user_id"], ValueType = DataType.String };
        var view = await ViewAsync(
            TestTable.Of([("article_id", "int64"), ("user_id", "string"), ("event_timestamp", "unix_timestamp"), ("clicks", "int32")],
                [1L, "u1", At(8), 3], [1L, "u2", At(8), 5], [2L, "u1", At(8), 7], [1L, "u1", At(9), 4]),
            entities: [article, user], features: [("clicks", "int32")]);
        var entities = TestTable.Of(
            [("article_id", "int64"), ("user_id", "string"), ("event_timestamp", "unix_timestamp")],
            [1L, "u1", At(10)], [1L, "u2", At(10)], [2L, "u1", At(8, 30)], [2L, "u2", At(10)], [1L, "u1", At(8, 30)]);

        var rows = await RetrieveAsync(await EntitiesAsync(entities), view);

        Assert.Equal([4, 5, 7, null, 3], rows.Select(r => r["clicks"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_FieldMapping_RenamesSourceColumns()
    {
        var view = await ViewAsync(
            TestTable.Of([("driver", "int64"), ("ts", "unix_timestamp"), ("conv", "float32"), ("trips", "int64")], [1001L, At(8), 0.25f, 9L]),
            mapping: new Dictionary<string, string> { ["driver"] = "driver_id", ["conv"] = "conv_rate", ["ts"] = "event_ts" },
            timestampField: "event_ts");

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)))), view);

        Assert.Equal(0.25f, rows.Single()["conv_rate"]);
        Assert.Equal(9L, rows.Single()["trips"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_FullFeatureNames_PrefixesViewName()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]), fullNames: true, viewName: "driver_stats");

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)))), view);

        Assert.Equal(["driver_id", "event_timestamp", "driver_stats__conv_rate", "driver_stats__trips"], rows.Single().Keys);
        Assert.Equal(0.1f, rows.Single()["driver_stats__conv_rate"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_NamedTimestampColumn_IsUsedAndKeptUnderItsName()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L], [1001L, At(11), 0.2f, 2L]));
        var entities = await EntitiesCsvAsync("driver_id,order_time,event_timestamp\n1001,2021-04-12T10:00:00Z,2021-04-12T12:00:00Z\n");

        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalRequest(entities, [view], "order_time"));
        var rows = await ResultRows.ReadAllAsync(result);

        // order_time (10:00) decides, not the unrelated event_timestamp column (12:00).
        Assert.Equal(0.1f, rows.Single()["conv_rate"]);
        Assert.Equal(At(10), rows.Single()["order_time"]);
    }

    [Fact]
    public async Task GetHistoricalFeatures_EventTimestampOutput_GivesChosenRowTimeOrNullOutsideTtl()
    {
        // On-demand views read the chosen row's event time; a view may be read for it alone.
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L], [1001L, At(9), 0.2f, 2L]), ttl: TimeSpan.FromHours(2));
        var timeOnly = view with { Features = [], EventTimestampOutputName = "chosen_at" };

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)), (1001, At(8, 30)), (1001, At(12)), (1002, At(10)))), timeOnly);

        Assert.Equal(["driver_id", "event_timestamp", "chosen_at"], rows[0].Keys);
        Assert.Equal([At(9), At(8), null, null], rows.Select(r => r["chosen_at"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityRowsFromSql_AreJoinedOrRefusedByAStoreWithoutSql()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]));

        if (RunsEntitySql)
        {
            var rows = await RetrieveAsync(EntityInput.FromSql(OneEntityRowSql), view);

            Assert.Equal(0.1f, rows.Single()["conv_rate"]);
        }
        else
        {
            var error = await Assert.ThrowsAsync<GranaryException>(() => Store.GetHistoricalFeaturesAsync(new HistoricalRequest(EntityInput.FromSql(OneEntityRowSql), [view])));

            Assert.Contains("SQL", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetHistoricalFeatures_AllEntitiesAsOf_OneRowPerKeyWithLatestValues()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns,
            [1003L, At(8), 0.3f, 3L], [1001L, At(8), 0.1f, 1L], [1001L, At(9), 0.15f, 15L], [1002L, At(11), 0.2f, 2L], [1001L, At(12), 0.9f, 9L]));

        var rows = await RetrieveAsync(EntityInput.AllAsOf(At(10)), view);

        Assert.Equal([1001L, 1002L, 1003L], rows.Select(r => r["driver_id"]));
        Assert.Equal([0.15f, null, 0.3f], rows.Select(r => r["conv_rate"]));
        Assert.All(rows, r => Assert.Equal(At(10), r["event_timestamp"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityRowsWithoutJoinKey_FailsNamingTheColumn()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]));
        var entities = await EntitiesCsvAsync("driver,event_timestamp\n1001,2021-04-12T10:00:00Z\n");

        var error = await Assert.ThrowsAnyAsync<GranaryException>(() => RetrieveAsync(entities, view));

        Assert.Contains("'driver_id'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityRowsWithoutTimestamp_FailsNamingTheColumn()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]));
        var entities = await EntitiesCsvAsync("driver_id,ts\n1001,2021-04-12T10:00:00Z\n");

        var error = await Assert.ThrowsAnyAsync<GranaryException>(() => RetrieveAsync(entities, view));

        Assert.Contains("'event_timestamp'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeSource_ListsColumnsWithTypes()
    {
        var source = await CreateSourceAsync("described", TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]), "event_timestamp", null, null);

        var columns = await Store.DescribeSourceAsync(source);

        var byName = columns.ToDictionary(c => c.Name);
        Assert.Equal(DataType.Int64, byName["driver_id"].Type);
        Assert.True(byName["event_timestamp"].IsTimestamp);
        Assert.Equal(new DataType(ScalarType.Float32), byName["conv_rate"].Type);
    }

    [Fact]
    public async Task PullLatest_Interval_LatestRowPerKeyWithinInclusiveBounds()
    {
        var columns = new (string, string)[]
        {
            ("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("conv_rate", "float32"), ("trips", "int64"),
        };
        var view = await ViewAsync(
            TestTable.Of(columns,
                [1001L, At(7), At(7), 0.1f, 1L],   // before start
                [1001L, At(8), At(8), 0.2f, 2L],   // at start: included
                [1002L, At(9), At(9, 30), 0.5f, 5L],
                [1002L, At(9), At(9, 10), 0.4f, 4L], // tie on event time, older created
                [1003L, At(10), At(10), 0.7f, 7L], // at end: included
                [1001L, At(10, 0, 1), At(11), 0.9f, 9L]), // after end
            created: "created");

        var rows = new List<Dictionary<string, object?>>();
        await foreach (var batch in Store.PullLatestAsync(view, At(8), At(10)))
        {
            rows.AddRange(ResultRows.ToRows(batch));
        }

        var byDriver = rows.ToDictionary(r => (long)r["driver_id"]!);
        Assert.Equal(3, byDriver.Count);
        Assert.Contains(await Store.CountLatestAsync(view, At(8), At(10)), new long?[] { null, 3 }); // optional, but exact when given
        Assert.Equal((0.2f, At(8)), ((float)byDriver[1001]["conv_rate"]!, (DateTimeOffset)byDriver[1001][OfflineStore.EventTimestampColumn]!));
        Assert.Equal((0.5f, 5L), ((float)byDriver[1002]["conv_rate"]!, (long)byDriver[1002]["trips"]!));
        Assert.Equal(0.7f, byDriver[1003]["conv_rate"]);
    }

    private async Task<(Schema Schema, List<Dictionary<string, object?>> Rows)> RetrieveWithSchemaAsync(EntityInput entities, params ViewRequest[] views)
    {
        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalRequest(entities, views));
        Schema? schema = null;
        var rows = new List<Dictionary<string, object?>>();
        await foreach (var batch in result.ReadAsync())
        {
            schema ??= batch.Schema;
            rows.AddRange(ResultRows.ToRows(batch));
        }

        return (schema!, rows);
    }

    [Fact]
    public async Task GetHistoricalFeatures_CsvEntityFile_GetsTheDocumentedTypesAndValues()
    {
        // One file, typed by the one CSV rule: ints, a time in three forms, booleans in any case, numbers
        // with a fraction or exponent, an integer too long for int64 (text), a quoted comma, an empty column.
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L], [1002L, At(9), 0.2f, 2L]));
        var entities = await EntitiesCsvAsync(
            "driver_id,event_timestamp,flag,score,big_id,note,empty,mixed\n" +
            "1001,2021-04-12T10:00:00Z,true,1,99999999999999999999,\"a, \"\"quoted\"\" note\",,1\n" +
            "1002,2021-04-12 12:00:00+02:00,FALSE,2.5,1,plain,,x\n" +
            "1001,2021-04-12,,1e3,,,,\n");

        var (schema, rows) = await RetrieveWithSchemaAsync(entities, view);

        Assert.Equal(
            ["driver_id", "event_timestamp", "flag", "score", "big_id", "note", "empty", "mixed", "conv_rate", "trips"],
            schema.FieldsList.Select(f => f.Name));
        Assert.Equal(
            [ArrowTypeId.Int64, ArrowTypeId.Timestamp, ArrowTypeId.Boolean, ArrowTypeId.Double, ArrowTypeId.String, ArrowTypeId.String,
             ArrowTypeId.String, ArrowTypeId.String, ArrowTypeId.Float, ArrowTypeId.Int64],
            schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.Equal([1001L, 1002L, 1001L], rows.Select(r => r["driver_id"]));
        Assert.Equal([At(10), At(10), Day], rows.Select(r => r["event_timestamp"]));
        Assert.Equal([true, false, null], rows.Select(r => r["flag"]));
        Assert.Equal([1.0, 2.5, 1000.0], rows.Select(r => r["score"]));
        Assert.Equal(["99999999999999999999", "1", null], rows.Select(r => r["big_id"]));
        Assert.Equal(["a, \"quoted\" note", "plain", null], rows.Select(r => r["note"]));
        Assert.Equal([null, null, null], rows.Select(r => r["empty"]));
        Assert.Equal(["1", "x", null], rows.Select(r => r["mixed"]));
        // 1001 at 10:00 takes 08:00; 1002 at 10:00 takes 09:00; 1001 at midnight precedes all rows.
        Assert.Equal([0.1f, 0.2f, null], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_ParquetEntityFile_GetsTheDocumentedTypesAndValues()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L], [1002L, At(9), 0.2f, 2L]));
        var path = Path.Combine(Folder, "entities.parquet");
        var id = new DataField<long>("driver_id");
        var time = new DateTimeDataField("event_timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
        var small = new DataField<short?>("small");
        var ratio = new DataField<float?>("ratio");
        var amount = new DecimalDataField("amount", 10, 2, isNullable: true);
        var day = new DateTimeDataField("day", DateTimeFormat.Date, isNullable: true);
        var flag = new DataField<bool?>("flag");
        var label = new DataField<string>("label", true);
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, time, small, ratio, amount, day, flag, label), file))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(id, new long[] { 1002, 1001, 1001 });
            await group.WriteAsync<DateTime>(time, new[] { At(10).UtcDateTime, At(7).UtcDateTime, At(9, 0, 0).AddTicks(1_234_567).UtcDateTime });
            await group.WriteAsync<short>(small, new short?[] { -3, null, 7 });
            await group.WriteAsync<float>(ratio, new float?[] { 0.5f, null, 0.25f });
            await group.WriteAsync<decimal>(amount, new decimal?[] { 12.5m, null, -0.25m });
            await group.WriteAsync<DateTime>(day, new DateTime?[] { new DateTime(2021, 4, 12), null, new DateTime(2021, 4, 13) });
            await group.WriteAsync<bool>(flag, new bool?[] { true, null, false });
            await group.WriteAsync(label, new string?[] { "x", null, "z" }, null);
        }

        var (schema, rows) = await RetrieveWithSchemaAsync(EntityInput.FromFile(path), view);

        Assert.Equal(
            [ArrowTypeId.Int64, ArrowTypeId.Timestamp, ArrowTypeId.Int32, ArrowTypeId.Float, ArrowTypeId.Double, ArrowTypeId.Timestamp,
             ArrowTypeId.Boolean, ArrowTypeId.String, ArrowTypeId.Float, ArrowTypeId.Int64],
            schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.Equal([1002L, 1001L, 1001L], rows.Select(r => r["driver_id"]));
        // Times keep whole microseconds: the 567 of 1,234,567 ticks is dropped.
        Assert.Equal([At(10), At(7), At(9).AddTicks(1_234_560)], rows.Select(r => r["event_timestamp"]));
        Assert.Equal([-3, null, 7], rows.Select(r => r["small"]));
        Assert.Equal([0.5f, null, 0.25f], rows.Select(r => r["ratio"]));
        Assert.Equal([12.5, null, -0.25], rows.Select(r => r["amount"]));
        Assert.Equal([Day, null, Day.AddDays(1)], rows.Select(r => r["day"]));
        Assert.Equal([true, null, false], rows.Select(r => r["flag"]));
        Assert.Equal(["x", null, "z"], rows.Select(r => r["label"]));
        Assert.Equal([0.2f, null, 0.1f], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_RaggedCsvEntityFile_FailsNamingFileAndLine()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]));
        var entities = (EntityFile)await EntitiesCsvAsync("driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1001,2021-04-12T10:00:00Z,1\n");

        var error = await Assert.ThrowsAsync<GranaryException>(() => RetrieveAsync(entities, view));

        Assert.Equal($"entity file '{entities.Path}' line 3: 3 fields, but the header (line 1) has 2: driver_id, event_timestamp; quote a value that holds a comma, such as \"a, b\"", error.Message);
    }

    [Fact]
    public async Task GetHistoricalFeatures_CsvKeyThatIsNotANumber_NamesTheLineAndValue()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]));
        var entities = (EntityFile)await EntitiesCsvAsync("driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\nd-1002,2021-04-12T10:00:00Z\n");

        var error = await Assert.ThrowsAsync<GranaryException>(() => RetrieveAsync(entities, view));

        Assert.Equal($"entity file '{entities.Path}' line 3, column 1 (driver_id): 'd-1002' is not int64, which join key 'driver_id' of feature view '{view.View.Name}' needs", error.Message);
    }

    [Fact]
    public async Task GetHistoricalFeatures_CsvTimeThatIsNotIso8601_NamesTheLineAndValue()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]));
        var entities = (EntityFile)await EntitiesCsvAsync("driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1001,12/04/2021 10:00\n");

        var error = await Assert.ThrowsAsync<GranaryException>(() => RetrieveAsync(entities, view));

        Assert.StartsWith($"entity file '{entities.Path}' line 3, column 2 (event_timestamp): '12/04/2021 10:00' is not an ISO-8601 time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountLatest_Intervals_CountKeysWithARowInsideInclusiveBounds()
    {
        var columns = new (string, string)[]
        {
            ("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("conv_rate", "float32"), ("trips", "int64"),
        };
        var view = await ViewAsync(
            TestTable.Of(columns,
                [1001L, At(8), At(8), 0.1f, 1L],
                [1001L, At(9), At(9), 0.2f, 2L],
                [1002L, At(9), At(9, 5), 0.4f, 4L],  // a tie on event time with the next row: one key
                [1002L, At(9), At(9, 10), 0.5f, 5L],
                [1003L, At(11), At(11), 0.7f, 7L],
                [null, At(9), At(9), 0.9f, 9L]),     // no key: never counted
            created: "created");

        // Hand-worked: [08:00, 10:00] has 1001 and 1002; [09:00, 09:00] the same two (both bounds inclusive);
        // [08:00, 08:00] only 1001; [10:00, 11:00] only 1003; [12:00, 13:00] nothing.
        var intervals = new (DateTimeOffset Start, DateTimeOffset End, long Count)[]
        {
            (At(8), At(10), 2), (At(9), At(9), 2), (At(8), At(8), 1), (At(10), At(11), 1), (At(12), At(13), 0),
        };
        foreach (var (start, end, count) in intervals)
        {
            var counted = await Store.CountLatestAsync(view, start, end);
            var pulled = 0;
            await foreach (var batch in Store.PullLatestAsync(view, start, end))
            {
                pulled += batch.Length;
            }

            Assert.Equal(count, pulled);
            Assert.Equal(CountsLatest ? count : null, counted);
        }
    }

    private static RecordBatch DriverRows(params (long Driver, DateTimeOffset Time, float Conv, long Trips)[] rows) =>
        ArrowBatches.FromColumns(
        [
            ("driver_id", typeof(long), rows.Select(r => (object?)r.Driver).ToArray()),
            ("event_timestamp", typeof(DateTimeOffset), rows.Select(r => (object?)r.Time).ToArray()),
            ("conv_rate", typeof(float), rows.Select(r => (object?)r.Conv).ToArray()),
            ("trips", typeof(long), rows.Select(r => (object?)r.Trips).ToArray()),
        ], rows.Length);

    [Fact]
    public async Task WriteAsync_AppendedRows_AreSeenByThePointInTimeJoin()
    {
        var view = await ViewAsync(TestTable.Of(DriverColumns, [1001L, At(8), 0.1f, 1L]));

        await Store.WriteAsync(view.Source, DriverRows((1001, At(9), 0.2f, 2), (1002, At(9), 0.5f, 5)));
        await Store.WriteAsync(view.Source, DriverRows((1001, At(9, 30), 0.3f, 3)));

        // 1001 at 10:00 takes the second push (09:30), at 09:15 the first (09:00), at 08:30 the original row;
        // 1002 exists only through the push.
        var rows = await RetrieveAsync(
            await EntitiesAsync(DriverEntities((1001, At(10)), (1001, At(9, 15)), (1001, At(8, 30)), (1002, At(10)))), view);
        Assert.Equal([0.3f, 0.2f, 0.1f, 0.5f], rows.Select(r => r["conv_rate"]));
        Assert.Equal([3L, 2L, 1L, 5L], rows.Select(r => r["trips"]));
    }

    [Fact]
    public async Task WriteAsync_FieldMapping_WritesTheSourceColumns()
    {
        var view = await ViewAsync(
            TestTable.Of([("driver", "int64"), ("event_timestamp", "unix_timestamp"), ("conv", "float32"), ("trips", "int64")], [1001L, At(8), 0.25f, 9L]),
            mapping: new Dictionary<string, string> { ["driver"] = "driver_id", ["conv"] = "conv_rate" });

        await Store.WriteAsync(view.Source, DriverRows((1001, At(9), 0.75f, 10)));

        var rows = await RetrieveAsync(await EntitiesAsync(DriverEntities((1001, At(10)), (1001, At(8, 30)))), view);
        Assert.Equal([0.75f, 0.25f], rows.Select(r => r["conv_rate"]));
        var described = await Store.DescribeSourceAsync(view.Source);
        Assert.Equal(["driver", "event_timestamp", "conv", "trips"], described.Select(c => c.Name));
    }
}
