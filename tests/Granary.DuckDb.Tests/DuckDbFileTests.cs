using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Conformance;
using Granary.Definitions;
using Granary.DuckDb;
using Granary.Offline;
using Field = Granary.Definitions.Field;

namespace Granary.DuckDb.Tests;

/// <summary>What only the file-based store does: Parquet entity rows, appending to sources, reading files.</summary>
public sealed class DuckDbFileTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2021, 4, 12, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("granary-duckdb-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private DuckDbOfflineStore Store() => new(new DuckDbOfflineStoreOptions { RepoPath = _folder });

    private static RecordBatch Rows(params (long Driver, DateTimeOffset Time, double Conv)[] rows)
    {
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder(TimeUnit.Microsecond, "UTC");
        var conv = new DoubleArray.Builder();
        foreach (var (driver, time, value) in rows)
        {
            ids.Append(driver);
            times.Append(time);
            conv.Append(value);
        }

        var schema = new Schema.Builder()
            .Field(f => f.Name("driver_id").DataType(Int64Type.Default))
            .Field(f => f.Name("event_timestamp").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
            .Field(f => f.Name("conv_rate").DataType(DoubleType.Default))
            .Build();
        return new RecordBatch(schema, [ids.Build(), times.Build(), conv.Build()], rows.Length);
    }

    private static async Task<List<Dictionary<string, object?>>> ReadAsync(string path)
    {
        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await EntityFileReader.OpenAsync(path);
        await foreach (var batch in reader.ReadAsync())
        {
            rows.AddRange(ResultRows.ToRows(batch));
        }

        return rows;
    }

    [Fact]
    public async Task WriteAsync_SingleFile_AppendsRowsWithFieldMapping()
    {
        var source = new FileSource { Name = "s", Path = "stats.parquet", FieldMapping = new Dictionary<string, string> { ["conv"] = "conv_rate" } };
        await using var store = Store();

        await store.WriteAsync(source, Rows((1001, T, 0.5)));
        await store.WriteAsync(source, Rows((1002, T.AddHours(1), 0.25), (1003, T, 0.75)));

        var rows = await ReadAsync(Path.Combine(_folder, "stats.parquet"));
        Assert.Equal([1001L, 1002L, 1003L], rows.Select(r => r["driver_id"]));
        Assert.Equal([0.5, 0.25, 0.75], rows.Select(r => r["conv"]));
        Assert.Equal(T.AddHours(1), rows[1]["event_timestamp"]);
    }

    [Fact]
    public async Task WriteAsync_SingleFileFromManyStoresAtOnce_LosesNoRows()
    {
        // Separate store instances stand for separate processes: only the lock file orders them.
        var source = new FileSource { Name = "s", Path = "shared.parquet" };
        var writers = Enumerable.Range(0, 8).Select(async i =>
        {
            await using var store = Store();
            await store.WriteAsync(source, Rows((1000 + i, T, i)));
        });

        await Task.WhenAll(writers);

        var rows = await ReadAsync(Path.Combine(_folder, "shared.parquet"));
        Assert.Equal(Enumerable.Range(1000, 8).Select(i => (long)i), rows.Select(r => (long)r["driver_id"]!).Order());
    }

    [Fact]
    public async Task WriteAsync_Glob_AddsPartFilesThatRetrievalSees()
    {
        var source = new FileSource { Name = "s", Path = "log/*.parquet" };
        await using var store = Store();

        await store.WriteAsync(source, Rows((1001, T.AddHours(-2), 0.1)));
        await store.WriteAsync(source, Rows((1001, T.AddHours(-1), 0.2)));

        Assert.Equal(2, Directory.GetFiles(Path.Combine(_folder, "log"), "*.parquet").Length);
        var entities = Path.Combine(_folder, "entities.csv");
        await File.WriteAllTextAsync(entities, "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1001,2021-04-12T08:30:00Z\n");
        var view = new FeatureView { Name = "v", Entities = ["driver"], Source = "s", Schema = [new Field { Name = "conv_rate", Dtype = DataType.Float64 }] };
        var set = new DefinitionSet { Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }], Sources = [source], FeatureViews = [view] };
        var request = ViewRequest.For(set, view, [new SelectedFeature(view.Schema[0], "conv_rate")]);
        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalRequest(EntityInput.FromFile(entities), [request]));
        Assert.Equal([0.2, 0.1], (await ResultRows.ReadAllAsync(result)).Select(r => r["conv_rate"]));
    }

    [Fact]
    public async Task WriteAsync_GlobInFolderPart_IsRefused()
    {
        await using var store = Store();

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.WriteAsync(new FileSource { Name = "s", Path = "*/x.parquet" }, Rows((1, T, 0))));

        Assert.Contains("'*' in the file name only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHistoricalFeatures_ParquetEntityFile_AndCsvOutputFormat()
    {
        ParquetFiles.Write(Path.Combine(_folder, "stats.parquet"), TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float64")], [1001L, T.AddHours(-1), 0.5]));
        ParquetFiles.Write(Path.Combine(_folder, "entities.parquet"), TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp")], [1001L, T], [1002L, T.AddMinutes(30)]));
        var source = new FileSource { Name = "s", Path = "stats.parquet" };
        var view = new FeatureView { Name = "v", Entities = ["driver"], Source = "s", Schema = [new Field { Name = "conv_rate", Dtype = DataType.Float64 }] };
        var set = new DefinitionSet { Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }], Sources = [source], FeatureViews = [view] };
        var request = ViewRequest.For(set, view, [new SelectedFeature(view.Schema[0], "v__conv_rate")]);
        await using var store = Store();
        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalRequest(EntityInput.FromFile(Path.Combine(_folder, "entities.parquet")), [request]));

        var output = Path.Combine(_folder, "out.csv");
        var count = await result.WriteAsync(output);

        Assert.Equal(2, count);
        Assert.Equal(
            "driver_id,event_timestamp,v__conv_rate\n1001,2021-04-12T10:00:00.000000Z,0.5\n1002,2021-04-12T10:30:00.000000Z,\n",
            await File.ReadAllTextAsync(output));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    /// <summary>
    /// Training data that Granary writes as Parquet itself (any store's result that does not write its own
    /// file, as PostgreSQL's) carries true min/max statistics for its microsecond times: DuckDB skips a row
    /// group by them, so a filter on the time column must still see every row that matches. Parquet.Net's own
    /// DateTime path wrote these statistics in milliseconds (parquet-dotnet#769) and the filters below missed rows.
    /// </summary>
    [Fact]
    public async Task ResultWrittenAsParquet_TimeFilterSeesEveryRow()
    {
        // 1, 2 and 3 µs past three seconds; the first and last rows hold the column's minimum and maximum.
        var times = new[] { T.AddTicks(10), T.AddSeconds(1).AddTicks(20), T.AddSeconds(2).AddTicks(30) };
        var output = Path.Combine(_folder, "out.parquet");
        await using (var result = new BatchesResult(Rows([.. times.Select((t, i) => (1001L + i, t, 0.5))])))
        {
            await result.WriteAsync(output);
        }

        using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        connection.Open();
        long Count(string where)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SET TimeZone = 'UTC'; SELECT count(*) FROM read_parquet('{output}') WHERE {where}";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(
            (3L, 1L, 1L, 0L, 1L),
            (Count("event_timestamp >= TIMESTAMPTZ '2021-04-12 10:00:00.000001+00'"),
             Count("event_timestamp > TIMESTAMPTZ '2021-04-12 10:00:02.000002+00'"),
             Count("event_timestamp <= TIMESTAMPTZ '2021-04-12 10:00:00.000001+00'"),
             Count("event_timestamp > TIMESTAMPTZ '2021-04-12 10:00:02.000003+00'"),
             Count("event_timestamp = TIMESTAMPTZ '2021-04-12 10:00:01.000002+00'")));
    }

    /// <summary>A result of given batches, written by <see cref="RetrievalResult"/>'s own Parquet writer.</summary>
    private sealed class BatchesResult(params RecordBatch[] batches) : RetrievalResult
    {
        public override IReadOnlyList<string> ColumnNames => [.. batches[0].Schema.FieldsList.Select(f => f.Name)];

        public override async IAsyncEnumerable<RecordBatch> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var batch in batches)
            {
                await Task.Yield();
                yield return batch;
            }
        }
    }

    [Fact]
    public async Task DescribeSource_PathLeavingTheRepo_IsRefused()
    {
        await using var store = Store();

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.DescribeSourceAsync(new FileSource { Name = "s", Path = "../../etc/passwd.csv" }));

        Assert.Contains("leaves the repo folder", error.Message, StringComparison.Ordinal);
    }
}
