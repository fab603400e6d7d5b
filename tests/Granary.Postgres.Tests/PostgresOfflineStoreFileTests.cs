using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;
using Parquet;
using Parquet.Schema;
using Field = Granary.Definitions.Field;

namespace Granary.Postgres.Tests;

/// <summary>What the conformance suite does not cover: output files, Parquet entity files, CSV edge cases, passwords.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOfflineStoreFileTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-pgfiles-" + Guid.NewGuid().ToString("N"));
    private readonly string _table = "drivers_" + Guid.NewGuid().ToString("N")[..8];
    private PostgresOfflineStore? _store;

    private PostgresOfflineStore Store => _store!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _store = new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = server.ConnectionString(), BatchSize = 2 });
        await PostgresTables.CreateAsync(server.ConnectionString(), _table, TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float32"), ("note", "string")],
            [1001L, Day.AddHours(8), 0.25f, "plain"],
            [1002L, Day.AddHours(8), null, "has, comma and \"quote\""]));
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private HistoricalRequest Request(EntityInput entities)
    {
        var driver = new Entity { Name = "driver", JoinKeys = ["driver_id"] };
        var source = new PostgresSource { Name = "drivers", Table = _table };
        var view = new FeatureView
        {
            Name = "stats",
            Entities = ["driver"],
            Source = "drivers",
            Schema = [new Field { Name = "conv_rate", Dtype = new DataType(ScalarType.Float32) }, new Field { Name = "note", Dtype = DataType.String }],
        };
        var set = new DefinitionSet { Entities = [driver], Sources = [source], FeatureViews = [view] };
        return new HistoricalRequest(entities, [ViewRequest.For(set, view, view.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray())]);
    }

    private async Task<string> EntitiesCsvAsync(string text)
    {
        var path = Path.Combine(_folder, $"entities-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    [Fact]
    public async Task WriteAsync_Csv_WritesDuckDbStyleTextWithQuotesAndEmptyNulls()
    {
        var entities = await EntitiesCsvAsync("driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1002,2021-04-12T10:30:00.5Z\n1003,2021-04-12T10:00:00Z\n");
        var output = Path.Combine(_folder, "out.csv");

        await using (var result = await Store.GetHistoricalFeaturesAsync(Request(EntityInput.FromFile(entities))))
        {
            await result.WriteAsync(output);
        }

        Assert.Equal(
            "driver_id,event_timestamp,conv_rate,note\n" +
            "1001,2021-04-12T10:00:00.000000Z,0.25,plain\n" +
            "1002,2021-04-12T10:30:00.500000Z,,\"has, comma and \"\"quote\"\"\"\n" +
            "1003,2021-04-12T10:00:00.000000Z,,\n",
            await File.ReadAllTextAsync(output));
        Assert.Single(Directory.GetFiles(_folder, "*.csv"), f => f == output);
    }

    [Fact]
    public async Task WriteAsync_Parquet_RowGroupsPerBatchReadBackWithUtcTimes()
    {
        var entities = await EntitiesCsvAsync("driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1002,2021-04-12T12:00:00+02:00\n1003,2021-04-12T10:00:00Z\n");
        var output = Path.Combine(_folder, "out.parquet");

        await using (var result = await Store.GetHistoricalFeaturesAsync(Request(EntityInput.FromFile(entities))))
        {
            await result.WriteAsync(output);
        }

        await using var reader = await ParquetReader.CreateAsync(output);
        Assert.Equal(["driver_id", "event_timestamp", "conv_rate", "note"], reader.Schema.GetDataFields().Select(f => f.Name));
        Assert.Equal(2, reader.RowGroupCount); // batch size 2, three rows
        var ids = new List<long?>();
        var times = new List<DateTime?>();
        var rates = new List<float?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var fields = reader.Schema.GetDataFields();
            var n = (int)group.RowCount;
            var id = new long?[n];
            var time = new DateTime?[n];
            var rate = new float?[n];
            await group.ReadAsync(fields[0], id.AsMemory());
            await group.ReadAsync(fields[1], time.AsMemory());
            await group.ReadAsync(fields[2], rate.AsMemory());
            ids.AddRange(id);
            times.AddRange(time);
            rates.AddRange(rate);
        }

        Assert.Equal([1001L, 1002L, 1003L], ids);
        Assert.Equal([0.25f, null, null], rates);
        Assert.All(times, t => Assert.Equal(Day.AddHours(10).UtcDateTime, t!.Value.ToUniversalTime()));
    }

    [Fact]
    public async Task GetHistoricalFeatures_ParquetEntityFile_IsLoadedInOrder()
    {
        var path = Path.Combine(_folder, "entities.parquet");
        var id = new DataField<long>("driver_id");
        var time = new DateTimeDataField("event_timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
        var label = new DataField<string>("label", true);
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, time, label), file))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(id, new long[] { 1002, 1001, 1001 });
            await group.WriteAsync<DateTime>(time, new[] { Day.AddHours(10).UtcDateTime, Day.AddHours(7).UtcDateTime, Day.AddHours(9).UtcDateTime });
            await group.WriteAsync(label, new string?[] { "x", null, "z" }, null);
        }

        await using var result = await Store.GetHistoricalFeaturesAsync(Request(EntityInput.FromFile(path)));
        var rows = await ResultRows.ReadAllAsync(result);

        Assert.Equal([1002L, 1001L, 1001L], rows.Select(r => r["driver_id"]));
        Assert.Equal(["x", null, "z"], rows.Select(r => r["label"]));
        Assert.Equal([null, null, 0.25f], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_CsvWithQuotedNewlineAndBlankLines_KeepsRows()
    {
        var entities = await EntitiesCsvAsync("driver_id,event_timestamp,comment\r\n1001,2021-04-12 10:00:00,\"two\nlines, one \"\"field\"\"\"\r\n\r\n1001,2021-04-12 07:00:00,\r\n");

        await using var result = await Store.GetHistoricalFeaturesAsync(Request(EntityInput.FromFile(entities)));
        var rows = await ResultRows.ReadAllAsync(result);

        Assert.Equal(["two\nlines, one \"field\"", null], rows.Select(r => r["comment"]));
        Assert.Equal([0.25f, null], rows.Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_MissingTable_FailsNamingIt()
    {
        var request = Request(EntityInput.FromFile(await EntitiesCsvAsync("driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n")));
        var view = request.Views[0] with { Source = new PostgresSource { Name = "drivers", Table = "no_such_table" } };

        var error = await Assert.ThrowsAsync<GranaryException>(() => Store.GetHistoricalFeaturesAsync(request with { Views = [view] }));

        Assert.Contains("\"no_such_table\" does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PasswordInConnectionString_IsRefused()
    {
        var error = Assert.Throws<GranaryException>(() => new PostgresOfflineStore(new PostgresOfflineStoreOptions
        {
            ConnectionString = "Host=127.0.0.1;Username=u;Password=secret-value;Database=d",
        }));

        Assert.Contains("password_env", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PasswordEnvironmentVariableUnset_FailsNamingTheVariable()
    {
        var variable = "GRANARY_TEST_PW_" + Guid.NewGuid().ToString("N");

        var error = Assert.Throws<GranaryException>(() => new PostgresOfflineStore(new PostgresOfflineStoreOptions
        {
            ConnectionString = "Host=127.0.0.1;Username=u;Database=d",
            PasswordEnvironmentVariable = variable,
        }));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }
}
