using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;

namespace Granary.Postgres.Tests;

/// <summary>
/// Names with quotes, semicolons and spaces (and values that look like SQL) pass through every
/// PostgreSQL store unharmed: identifiers are quoted and values are parameters.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OddNamesTests(PostgresServer server) : IAsyncLifetime
{
    private const string Table = "my \"odd\"; table";
    private const string Key = "driver \"id\"; x";
    private const string EventTime = "event \"ts\"; y";
    private const string Created = "made at; \"z\"";
    private const string Conv = "conv \"rate\"; x";
    private const string TripsColumn = "trips; DROP TABLE x; --";
    private const string Trips = "trips \"n\"";
    private const string ViewName = "view \"v\"; 1";
    private const string EntityTime = "when; \"t\"";
    private const string Project = "proj \"p\"; 1";
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-odd-" + Guid.NewGuid().ToString("N"));
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _connectionString = await server.CreateDatabaseAsync("odd");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private static readonly Entity Driver = new() { Name = "driver", JoinKeys = [Key] };

    private static FeatureView View(string source) => new()
    {
        Name = ViewName,
        Entities = ["driver"],
        Source = source,
        Ttl = TimeSpan.FromHours(2),
        Schema = [new Field { Name = Conv, Dtype = new DataType(ScalarType.Float32) }, new Field { Name = Trips, Dtype = DataType.Int64 }],
    };

    private ViewRequest Request(DataSource source, bool fullNames)
    {
        var view = View(source.Name);
        var set = new DefinitionSet { Entities = [Driver], Sources = [source], FeatureViews = [view] };
        return ViewRequest.For(set, view, view.Schema.Select(f => new SelectedFeature(f, fullNames ? $"{view.Name}__{f.Name}" : f.Name)).ToArray());
    }

    [Fact]
    public async Task OfflineStore_OddTableColumnAndFeatureNames_JoinsDescribesAndPulls()
    {
        await PostgresTables.CreateAsync(_connectionString, Table, TestTable.Of(
            [(Key, "int64"), (EventTime, "unix_timestamp"), (Created, "unix_timestamp"), (Conv, "float32"), (TripsColumn, "int64")],
            [1001L, Day.AddHours(8), Day.AddHours(8), 0.1f, 1L],
            [1001L, Day.AddHours(9), Day.AddHours(9).AddMinutes(5), 0.3f, 3L],
            [1001L, Day.AddHours(9), Day.AddHours(9).AddMinutes(1), 0.2f, 2L]));
        var mapping = new Dictionary<string, string> { [TripsColumn] = Trips };
        var tableSource = new PostgresSource { Name = "odd; source", Table = Table, TimestampField = EventTime, CreatedTimestampColumn = Created, FieldMapping = mapping };
        var querySource = tableSource with { Table = null, Query = $"SELECT * FROM {PostgresTables.Quote(Table)} WHERE {PostgresTables.Quote(Conv)} > 0.15" };
        var entities = Path.Combine(_folder, "entities.csv");
        await File.WriteAllTextAsync(entities,
            "\"driver \"\"id\"\"; x\",\"when; \"\"t\"\"\",\"note; DROP TABLE y\"\n" +
            "1001,2021-04-12T10:00:00Z,'; SELECT 1; --\n" +
            "1001,2021-04-12T08:30:00Z,b\n" +
            "1001,2021-04-12T12:00:00Z,c\n");
        await using var store = new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = _connectionString });

        var columns = await store.DescribeSourceAsync(tableSource);
        Assert.Equal([Key, EventTime, Created, Conv, TripsColumn], columns.Select(c => c.Name));

        // Table source: at 10:00 the two 09:00 rows tie, the later created (0.3) wins; at 08:30 the
        // 08:00 row; at 12:00 the 09:00 row is older than the 2h ttl. The query source drops 0.1.
        foreach (var (source, expected) in new[] { (tableSource, new float?[] { 0.3f, 0.1f, null }), (querySource, new float?[] { 0.3f, null, null }) })
        {
            await using var result = await store.GetHistoricalFeaturesAsync(
                new HistoricalRequest(EntityInput.FromFile(entities), [Request(source, fullNames: true)], EntityTime));
            var rows = await ResultRows.ReadAllAsync(result);
            Assert.Equal([Key, EntityTime, "note; DROP TABLE y", $"{ViewName}__{Conv}", $"{ViewName}__{Trips}"], rows[0].Keys);
            Assert.Equal(expected, rows.Select(r => (float?)r[$"{ViewName}__{Conv}"]));
            Assert.Equal("'; SELECT 1; --", rows[0]["note; DROP TABLE y"]);
        }

        await using (var fromSql = await store.GetHistoricalFeaturesAsync(new HistoricalRequest(
            EntityInput.FromSql($"SELECT CAST(1001 AS bigint) AS {PostgresTables.Quote(Key)}, CAST('2021-04-12 09:30:00+00' AS timestamptz) AS {PostgresTables.Quote(EntityTime)}"),
            [Request(tableSource, fullNames: false)], EntityTime)))
        {
            Assert.Equal(3L, (await ResultRows.ReadAllAsync(fromSql)).Single()[Trips]);
        }

        await using (var all = await store.GetHistoricalFeaturesAsync(new HistoricalRequest(EntityInput.AllAsOf(Day.AddHours(8).AddMinutes(30)), [Request(tableSource, false)], EntityTime)))
        {
            Assert.Equal(1L, (await ResultRows.ReadAllAsync(all)).Single()[Trips]);
        }

        var pulled = new List<Dictionary<string, object?>>();
        await foreach (var batch in store.PullLatestAsync(Request(tableSource, false), Day, Day.AddDays(1)))
        {
            pulled.AddRange(ResultRows.ToRows(batch));
        }

        Assert.Equal((1001L, 0.3f, 3L), ((long)pulled.Single()[Key]!, (float)pulled.Single()[Conv]!, (long)pulled.Single()[Trips]!));
    }

    [Fact]
    public async Task OnlineStore_OddProjectViewFeatureAndKeyNames_WritesAndReads()
    {
        await using var store = new PostgresOnlineStore(new PostgresOnlineStoreOptions { ConnectionString = _connectionString });
        var view = View("src");
        var key = new EntityKey([Key, "city; \"c\""], [1001L, "'; DROP TABLE x; --"]);
        await store.UpdateAsync(Project, [view], []);

        await store.WriteBatchAsync(Project, view, [new OnlineRow(key, Day, [0.5f, 7L])]);
        var read = await store.ReadAsync(Project, [new OnlineViewRead(view, [view.Schema[1], view.Schema[0]])], [key]);

        Assert.Equal([7L, 0.5f], read[0][0]!.Values);
        await store.TeardownAsync(Project);
        Assert.Null((await store.ReadAsync(Project, [new OnlineViewRead(view, view.Schema)], [key]))[0][0]);
    }

    [Fact]
    public async Task Registry_OddProjectAndViewNames_RoundTrip()
    {
        FeatureRegistry[] registries = [new PostgresRegistryOptions { ConnectionString = _connectionString }.CreateRegistry()];
        var kinds = new SourceKinds().Add(PostgresSource.SourceKind);
        var source = new PostgresSource { Name = "odd; source", Table = Table, TimestampField = EventTime, FieldMapping = new Dictionary<string, string> { [TripsColumn] = Trips } };
        var set = new DefinitionSet { Entities = [Driver], Sources = [source], FeatureViews = [View(source.Name)] };
        foreach (var registry in registries)
        {
            await using (registry)
            {
                await registry.ApplyAsync(Project, set, 0);
                await registry.RecordMaterializationAsync(Project, ViewName, new MaterializationInterval(Day, Day.AddHours(1), Day.AddHours(2)));

                var read = (await registry.GetAsync(Project))!;
                Assert.Equal(RegistryJson.Serialize(set, kinds), RegistryJson.Serialize(read.Definitions, kinds));
                Assert.Equal(Day.AddHours(1), read.LastMaterializedEnd(ViewName));
                Assert.Contains(Project, await registry.ListProjectsAsync());
                Assert.True(await registry.DeleteProjectAsync(Project));
            }
        }
    }
}
