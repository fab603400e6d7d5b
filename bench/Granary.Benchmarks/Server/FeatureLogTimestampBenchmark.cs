using BenchmarkDotNet.Attributes;
using Granary.FeatureLogs;
using Parquet;
using Parquet.Schema;

namespace Granary.Benchmarks.Server;

/// <summary>
/// The timestamp columns of one flush of a 50-feature log (10,000 rows, 50 event-time columns, one null in
/// ten) written as Parquet: through the log's own column (raw int64 milliseconds under the TIMESTAMP(MILLIS)
/// field) against Parquet.Net's <see cref="DateTime"/> path for the same values and the same field, which
/// the log used until 2026-12-01.
/// <c>dotnet artifacts/bin/Granary.Benchmarks/release_linux-x64/Granary.Benchmarks.dll --filter '*FeatureLogTimestamp*'</c>
/// </summary>
[MemoryDiagnoser]
public class FeatureLogTimestampBenchmark
{
    private const int Rows = 10_000;
    private const int Columns = 50;

    private readonly FeatureLogColumnBuffer.TimestampColumn[] _columns = new FeatureLogColumnBuffer.TimestampColumn[Columns];
    private readonly DateTime?[][] _dateTimes = new DateTime?[Columns][];
    private ParquetSchema _schema = null!;
    private readonly MemoryStream _stream = new();

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var c = 0; c < Columns; c++)
        {
            _columns[c] = (FeatureLogColumnBuffer.TimestampColumn)FeatureLogColumnBuffer.For($"view__f{c}__timestamp", typeof(DateTimeOffset));
            _columns[c].EnsureCapacity(Rows);
            _dateTimes[c] = new DateTime?[Rows];
            for (var row = 0; row < Rows; row++)
            {
                DateTimeOffset? time = row % 10 == 3 ? null : start.AddMilliseconds((row * 7919L) % 86_400_000);
                _columns[c].SetInstant(row, time);
                _dateTimes[c][row] = time?.UtcDateTime;
            }
        }

        _schema = new ParquetSchema(_columns.Select(c => (Field)c.ParquetField).ToArray());
    }

    [Benchmark(Baseline = true)]
    public async Task ParquetNetDateTimes()
    {
        _stream.SetLength(0);
        await using var writer = await ParquetWriter.CreateAsync(_schema, _stream);
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < Columns; c++)
        {
            await group.WriteAsync<DateTime>(_columns[c].ParquetField, _dateTimes[c]);
        }

        group.CompleteValidate();
    }

    [Benchmark]
    public async Task LogTimestampColumns()
    {
        _stream.SetLength(0);
        await using var writer = await ParquetWriter.CreateAsync(_schema, _stream);
        using var group = writer.CreateRowGroup();
        foreach (var column in _columns)
        {
            await column.WriteAsync(group, Rows);
        }

        group.CompleteValidate();
    }
}
