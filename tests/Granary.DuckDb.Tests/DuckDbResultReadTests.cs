using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Conformance;
using Granary.DuckDb;
using Granary.Offline;

namespace Granary.DuckDb.Tests;

/// <summary>
/// A result read back as batches of the store's size, whether DuckDB's Arrow export carries it (numbers,
/// booleans, strings, times) or ADO.NET a value at a time (other types): the same Arrow types and values either way.
/// Rows are generated from their number here and checked against the same rule worked out in C#.
/// </summary>
public sealed class DuckDbResultReadTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-duckdb-read-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private async Task<List<RecordBatch>> ReadAsync(string select, int batchSize)
    {
        await using var store = new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = _repo, BatchSize = batchSize });
        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalRequest(EntityInput.FromSql(select), []));
        var batches = new List<RecordBatch>();
        await foreach (var batch in result.ReadAsync())
        {
            batches.Add(batch);
        }

        return batches;
    }

    [Fact]
    public async Task ReadAsync_ArrowTypes_BatchesOfTheStoreSizeAcrossDuckDbChunks()
    {
        // 5,000 rows come from DuckDB in chunks of up to 2,048; batches of 1,000 cut across them.
        var batches = await ReadAsync(
            "SELECT i AS id, (i % 7)::INTEGER AS small, CASE WHEN i % 3 = 0 THEN NULL ELSE i / 4.0 END AS ratio, " +
            "i % 2 = 0 AS even, 'v' || i AS label, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp, " +
            "TIMESTAMP '2024-01-01 00:00:00' + to_microseconds(i) AS plain FROM range(5000) r(i) ORDER BY i",
            1000);

        Assert.Equal([1000, 1000, 1000, 1000, 1000], batches.Select(b => b.Length));
        Assert.Equal(
            [ArrowTypeId.Int64, ArrowTypeId.Int32, ArrowTypeId.Double, ArrowTypeId.Boolean, ArrowTypeId.String, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp],
            batches[0].Schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.All(batches[0].Schema.FieldsList.Select(f => f.DataType).OfType<TimestampType>(), t => Assert.Equal((TimeUnit.Microsecond, "UTC"), (t.Unit, t.Timezone)));
        var rows = batches.SelectMany(ResultRows.ToRows).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Assert.Equal((long)i, row["id"]);
            Assert.Equal(i % 7, row["small"]);
            Assert.Equal(i % 3 == 0 ? null : i / 4.0, row["ratio"]);
            Assert.Equal(i % 2 == 0, row["even"]);
            Assert.Equal($"v{i}", row["label"]);
            Assert.Equal(Start.AddSeconds(i), row["event_timestamp"]);
            Assert.Equal(Start.AddTicks(i * 10L), row["plain"]);
        }
    }

    [Fact]
    public async Task ReadAsync_DecimalAndDate_ReadAValueAtATimeWithTheSameTypes()
    {
        var batches = await ReadAsync(
            "SELECT i AS id, (i / 2)::DECIMAL(10, 1) AS amount, DATE '2024-01-01' + i::INTEGER AS day, " +
            "TIMESTAMPTZ '2024-01-01 00:00:00+00' AS event_timestamp FROM range(3) r(i) ORDER BY i",
            2);

        Assert.Equal([2, 1], batches.Select(b => b.Length));
        Assert.Equal(
            [ArrowTypeId.Int64, ArrowTypeId.Double, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp],
            batches[0].Schema.FieldsList.Select(f => f.DataType.TypeId));
        var rows = batches.SelectMany(ResultRows.ToRows).ToList();
        Assert.Equal([0.0, 0.5, 1.0], rows.Select(r => r["amount"]));
        Assert.Equal([Start, Start.AddDays(1), Start.AddDays(2)], rows.Select(r => r["day"]));
    }
}
