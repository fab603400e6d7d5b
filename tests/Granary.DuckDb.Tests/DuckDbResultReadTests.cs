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

    /// <summary>
    /// Every type the Arrow path copies, 6,500 rows (DuckDB chunks end at 2,048, 4,096, 6,144) cut into batches that
    /// fall on byte boundaries of the bitmaps (1,000), off them (999, 3,001: slices start mid-byte on either side), and
    /// one batch of all the chunks. Nulls "dense" where row % 7 = 0 and on both sides of every chunk and batch edge;
    /// "sparse" at the sixth row of each chunk only, so that a batch joins parts with nulls and parts without; or none.
    /// </summary>
    [Theory]
    [InlineData(1000, "dense")]
    [InlineData(999, "dense")]
    [InlineData(3001, "dense")]
    [InlineData(65_536, "dense")]
    [InlineData(999, "sparse")]
    [InlineData(3001, "sparse")]
    [InlineData(999, "none")]
    public async Task ReadAsync_EveryArrowTypeAcrossChunkAndBatchEdges_SameValuesAndNulls(int batchSize, string nullRule)
    {
        const int Rows = 6500;
        var nullWhere = nullRule switch
        {
            "dense" => $"i % 7 = 0 OR i % 2048 IN (0, 2047) OR i % {batchSize} IN (0, {batchSize - 1})",
            "sparse" => "i % 2048 = 5",
            _ => "false",
        };
        var batches = await ReadAsync(
            $"SELECT i AS id, CASE WHEN {nullWhere} THEN NULL ELSE i * -3 + 1 END AS big, " +
            $"CASE WHEN {nullWhere} THEN NULL ELSE (i * 7 - 20000)::INTEGER END AS small, " +
            $"CASE WHEN {nullWhere} THEN NULL ELSE i / 8.0 END AS ratio, " +
            $"CASE WHEN {nullWhere} THEN NULL ELSE (i / 4.0)::FLOAT END AS single, " +
            $"CASE WHEN {nullWhere} THEN NULL ELSE i % 3 = 0 END AS third, " +
            $"CASE WHEN {nullWhere} THEN NULL WHEN i % 5 = 0 THEN '' WHEN i % 5 = 1 THEN 'ü€' || i || '𝄞' ELSE 'v' || i END AS label, " +
            $"CASE WHEN {nullWhere} THEN NULL ELSE TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds(i * 1001) END AS event_timestamp, " +
            $"CASE WHEN {nullWhere} THEN NULL ELSE TIMESTAMP '2024-01-01 00:00:00' + to_microseconds(i) END AS plain " +
            $"FROM range({Rows}) r(i) ORDER BY i",
            batchSize);

        var sizes = Enumerable.Repeat(batchSize, Rows / batchSize).Append(Rows % batchSize).Where(n => n > 0);
        Assert.Equal(sizes, batches.Select(b => b.Length));
        Assert.Equal(
            [ArrowTypeId.Int64, ArrowTypeId.Int64, ArrowTypeId.Int32, ArrowTypeId.Double, ArrowTypeId.Float, ArrowTypeId.Boolean, ArrowTypeId.String, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp],
            batches[0].Schema.FieldsList.Select(f => f.DataType.TypeId));
        var startMicros = Start.ToUnixTimeMilliseconds() * 1000;
        var row = 0;
        foreach (var batch in batches)
        {
            var nulls = 0;
            for (var i = 0; i < batch.Length; i++, row++)
            {
                var isNull = nullRule switch
                {
                    "dense" => row % 7 == 0 || row % 2048 is 0 or 2047 || row % batchSize == 0 || row % batchSize == batchSize - 1,
                    "sparse" => row % 2048 == 5,
                    _ => false,
                };
                nulls += isNull ? 1 : 0;
                Assert.Equal(row, ((Int64Array)batch.Column(0)).GetValue(i));
                Assert.Equal(isNull ? null : row * -3L + 1, ((Int64Array)batch.Column(1)).GetValue(i));
                Assert.Equal(isNull ? null : (row * 7) - 20000, ((Int32Array)batch.Column(2)).GetValue(i));
                Assert.Equal(isNull ? null : row / 8.0, ((DoubleArray)batch.Column(3)).GetValue(i));
                Assert.Equal(isNull ? null : row / 4.0f, ((FloatArray)batch.Column(4)).GetValue(i));
                Assert.Equal(isNull ? null : row % 3 == 0, ((BooleanArray)batch.Column(5)).GetValue(i));
                var label = (row % 5) switch { 0 => "", 1 => $"ü€{row}𝄞", _ => $"v{row}" };
                Assert.Equal(isNull ? null : label, ((StringArray)batch.Column(6)).GetString(i));
                Assert.Equal(isNull ? null : startMicros + (row * 1001L), ((TimestampArray)batch.Column(7)).GetValue(i));
                Assert.Equal(isNull ? null : startMicros + row, ((TimestampArray)batch.Column(8)).GetValue(i));
            }

            Assert.All(batch.Arrays.Skip(1), column => Assert.Equal(nulls, column.NullCount));
            Assert.Equal(0, batch.Column(0).NullCount);
        }

        Assert.Equal(Rows, row);
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
