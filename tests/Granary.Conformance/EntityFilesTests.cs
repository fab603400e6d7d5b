using Granary.Definitions;
using Granary.Offline;
using Granary.Repo;
using Parquet;
using Parquet.Schema;
using Field = Granary.Definitions.Field;

namespace Granary.Conformance;

/// <summary>
/// Entity rows read from several Parquet files (<see cref="EntityInput.FromFiles"/>, what <c>granary skew</c>
/// joins a feature log with), and output that need not keep the entity order
/// (<see cref="HistoricalRequest.PreserveEntityOrder"/>): the contract of every store that reads entity files.
/// Expected values are worked out by hand from the rows each test writes; times are on 2021-04-12 UTC.
/// </summary>
public abstract class EntityFilesTests : OfflineStoreSuite
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private static readonly Entity Driver = new() { Name = "driver", JoinKeys = ["driver_id"] };
    private static readonly EntityFileColumn[] Columns =
        [new("driver_id", "driver_id"), new("event_timestamp", "ts"), new("note", "note")];

    private int _sources;

    /// <summary>A suite over the store that <see cref="OfflineStoreSuite.CreateStoreAsync"/> builds.</summary>
    protected EntityFilesTests()
        : base("granary-entity-files-")
    {
    }

    /// <summary>
    /// Stores <paramref name="table"/> where the store can read it (a file, a table) and returns a
    /// source over it with the given timestamp columns and field mapping.
    /// </summary>
    protected abstract Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping);

    private static DateTimeOffset At(int hour, int minute = 0) => Day.AddHours(hour).AddMinutes(minute);

    /// <summary>
    /// A Parquet entity file of (driver_id, ts, note) rows, one row group per group given; with
    /// <paramref name="reversed"/> the columns are stored in the opposite order (they are matched by name).
    /// </summary>
    private Task<string> EntityFileAsync(string name, bool reversed, params (long Id, DateTimeOffset Time, string Note)[][] groups) =>
        EntityFileAsync(name, "note", reversed, groups);

    private async Task<string> EntityFileAsync(string name, string noteColumn, bool reversed, params (long Id, DateTimeOffset Time, string Note)[][] groups)
    {
        var path = Path.Combine(Folder, name);
        var id = new DataField<long>("driver_id");
        // Milliseconds, as feature logs keep them: Parquet.Net writes wrong statistics for microseconds
        // (aloneguid/parquet-dotnet#769), which a store reading the files in place trusts.
        var time = new DateTimeDataField("ts", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis);
        var note = new DataField<string>(noteColumn, true);
        var schema = reversed ? new ParquetSchema(note, time, id) : new ParquetSchema(id, time, note);
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, file);
        foreach (var rows in groups)
        {
            using var group = writer.CreateRowGroup();
            foreach (var field in schema.GetDataFields())
            {
                if (field == id)
                {
                    await group.WriteAsync<long>(id, rows.Select(r => r.Id).ToArray());
                }
                else if (field == time)
                {
                    await group.WriteAsync<DateTime>(time, rows.Select(r => r.Time.UtcDateTime).ToArray());
                }
                else
                {
                    await group.WriteAsync(note, rows.Select(r => (string?)r.Note).ToArray(), null);
                }
            }
        }

        return path;
    }

    /// <summary>
    /// Three files listed out of name order: c (one row), a (two rows), b (columns stored reversed, two row
    /// groups of two and one rows). Their rows in list order: c1, a1, a2, b1, b2, b3.
    /// </summary>
    private async Task<string[]> ThreeFilesAsync() =>
    [
        await EntityFileAsync("c.parquet", reversed: false, [(1002, At(9), "c1")]),
        await EntityFileAsync("a.parquet", reversed: false, [(1002, At(13), "a1"), (1001, At(9), "a2")]),
        await EntityFileAsync("b.parquet", reversed: true, [(1001, At(13), "b1"), (1002, At(7), "b2")], [(1001, At(10), "b3")]),
    ];

    /// <summary>A feature view over driver 1001 at 08:00 (0.1) and 12:00 (0.3), driver 1002 at 08:00 (0.2).</summary>
    private async Task<ViewRequest> DriverViewAsync()
    {
        var table = TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float32")],
            [1001L, At(8), 0.1f], [1002L, At(8), 0.2f], [1001L, At(12), 0.3f]);
        var name = $"view{++_sources}";
        var source = await CreateSourceAsync($"{name}_source", table, "event_timestamp", null, null);
        var view = new FeatureView
        {
            Name = name,
            Entities = [Driver.Name],
            Source = source.Name,
            Schema = [new Field { Name = "conv_rate", Dtype = DataType.Parse("float32") }],
        };
        var set = new DefinitionSet { Entities = [Driver], Sources = [source], FeatureViews = [view] };
        return ViewRequest.For(set, view, view.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray());
    }

    private async Task<List<Dictionary<string, object?>>> RetrieveAsync(HistoricalRequest request)
    {
        await using var result = await Store.GetHistoricalFeaturesAsync(request);
        return await ResultRows.ReadAllAsync(result);
    }

    [Fact]
    public async Task GetHistoricalFeatures_SeveralEntityFiles_RowsComeInListOrderThenRowOrder()
    {
        var view = await DriverViewAsync();
        var paths = await ThreeFilesAsync();

        var rows = await RetrieveAsync(new HistoricalRequest(EntityInput.FromFiles(paths, Columns), [view]));

        Assert.Equal(["driver_id", "event_timestamp", "note", "conv_rate"], rows[0].Keys);
        Assert.Equal(["c1", "a1", "a2", "b1", "b2", "b3"], rows.Select(r => r["note"]));
        Assert.Equal([1002L, 1002L, 1001L, 1001L, 1002L, 1001L], rows.Select(r => r["driver_id"]));
        Assert.Equal([At(9), At(13), At(9), At(13), At(7), At(10)], rows.Select(r => r["event_timestamp"]));
        // 1002 from 08:00 on is 0.2, before it nothing; 1001 is 0.1 from 08:00 and 0.3 from 12:00.
        Assert.Equal([0.2f, 0.2f, 0.1f, 0.3f, null, 0.1f], rows.Select(r => r["conv_rate"]));
    }

    [Theory]
    [InlineData("file_index")]
    [InlineData("file_row_number")]
    [InlineData("File_Row_Number")]
    public async Task GetHistoricalFeatures_EntityFileColumnNamedLikeAFilePosition_StillKeepsListOrderThenRowOrder(string column)
    {
        // DuckDB numbers a file's rows with virtual columns of these names, which a column of the file would shadow.
        var view = await DriverViewAsync();
        string[] paths =
        [
            await EntityFileAsync("c.parquet", column, reversed: false, [(1002, At(9), "c1")]),
            await EntityFileAsync("a.parquet", column, reversed: true, [(1002, At(13), "a1"), (1001, At(9), "a2")], [(1001, At(10), "a3")]),
        ];
        EntityFileColumn[] columns = [new("driver_id", "driver_id"), new("event_timestamp", "ts"), new(column, column)];

        var rows = await RetrieveAsync(new HistoricalRequest(EntityInput.FromFiles(paths, columns), [view]));

        Assert.Equal(["c1", "a1", "a2", "a3"], rows.Select(r => r[column]));
        Assert.Equal([0.2f, 0.2f, 0.1f, 0.1f], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityFilesWithRange_KeepsRowsWithinBothBoundsInOrder()
    {
        var view = await DriverViewAsync();
        var paths = await ThreeFilesAsync();

        var rows = await RetrieveAsync(new HistoricalRequest(EntityInput.FromFiles(paths, Columns, At(9), At(10)), [view]));

        // 09:00 and 10:00 are inside (both bounds inclusive); 13:00 and 07:00 are not.
        Assert.Equal(["c1", "a2", "b3"], rows.Select(r => r["note"]));
        Assert.Equal([0.2f, 0.1f, 0.1f], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_AggregationViewOverEntityFiles_EachRowGetsItsOwnWindow()
    {
        // User 7 spends 5 at 09:10, 3 at 09:50, 4 at 10:00 (docs/aggregations.md); user 8 spends nothing.
        var user = new Entity { Name = "user", JoinKeys = ["user_id"] };
        var events = TestTable.Of(
            [("user_id", "int64"), ("event_timestamp", "unix_timestamp"), ("amount", "int64")],
            [7L, At(9, 10), 5L], [7L, At(9, 50), 3L], [7L, At(10), 4L]);
        var source = await CreateSourceAsync("spend_source", events, "event_timestamp", null, null);
        var declared = new AggregationView
        {
            Name = "spend",
            Entities = [user.Name],
            Source = source.Name,
            Hop = TimeSpan.Zero,
            Online = false,
            Aggregations = [new Aggregation { Function = AggregationFunction.Sum, Column = "amount", Windows = ["1h"] }],
        };
        var (errors, set) = await SourceSchemaValidator.ValidateAsync(
            new DefinitionSet { Entities = [user], Sources = [source], AggregationViews = [declared] }, Store);
        Assert.Empty(errors);
        var view = set.FindAggregationView("spend")!;
        var aggregation = AggregationRequest.For(set, view, view.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray());
        var columns = new EntityFileColumn[] { new("user_id", "driver_id"), new("event_timestamp", "ts"), new("note", "note") };
        var paths = new[]
        {
            await EntityFileAsync("second.parquet", reversed: false, [(7, At(10), "x1"), (8, At(10), "x2")], [(7, At(9, 10), "x3")]),
            await EntityFileAsync("first.parquet", reversed: true, [(7, At(11), "y1"), (7, At(10, 5), "y2")]),
        };

        var rows = await RetrieveAsync(new HistoricalRequest(EntityInput.FromFiles(paths, columns), []) { Aggregations = [aggregation] });

        // [t - 1h, t): 10:00 has 09:10 and 09:50 (8); user 8 none; 09:10 none (09:10 itself is not before t);
        // 11:00 has 10:00 (4); 10:05 has all three (12).
        Assert.Equal(["x1", "x2", "x3", "y1", "y2"], rows.Select(r => r["note"]));
        Assert.Equal([8L, null, null, 4L, 12L], rows.Select(r => r["amount_sum_1h"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityOrderNotPreserved_GivesTheSameRowsInSomeOrder()
    {
        var view = await DriverViewAsync();
        var paths = await ThreeFilesAsync();
        var csv = Path.Combine(Folder, "entities.csv");
        await File.WriteAllTextAsync(csv, "driver_id,event_timestamp,note\n1001,2021-04-12T13:00:00Z,n1\n1002,2021-04-12T07:00:00Z,n2\n1001,2021-04-12T09:00:00Z,n3\n");

        var fromFiles = await RetrieveAsync(new HistoricalRequest(EntityInput.FromFiles(paths, Columns), [view]) { PreserveEntityOrder = false });
        var fromCsv = await RetrieveAsync(new HistoricalRequest(EntityInput.FromFile(csv), [view]) { PreserveEntityOrder = false });

        // The rows of the ordered test, in whatever order: compared as a set, keyed by their unique notes.
        Assert.Equal(
            [("a1", 0.2f), ("a2", 0.1f), ("b1", 0.3f), ("b2", null), ("b3", 0.1f), ("c1", 0.2f)],
            fromFiles.Select(r => ((string)r["note"]!, (float?)r["conv_rate"])).OrderBy(r => r.Item1, StringComparer.Ordinal));
        Assert.Equal(
            [("n1", 0.3f), ("n2", null), ("n3", 0.1f)],
            fromCsv.Select(r => ((string)r["note"]!, (float?)r["conv_rate"])).OrderBy(r => r.Item1, StringComparer.Ordinal));
        Assert.All(fromFiles, r => Assert.Equal(["driver_id", "event_timestamp", "note", "conv_rate"], r.Keys));
    }
}
