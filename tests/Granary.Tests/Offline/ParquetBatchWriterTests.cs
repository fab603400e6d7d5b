using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Offline;
using Parquet;
using Parquet.Schema;

namespace Granary.Tests.Offline;

/// <summary>
/// Timestamps of every Arrow unit are written as TIMESTAMP(MICROS, UTC): each value floored to the microsecond,
/// nulls kept, and min/max statistics in microseconds (read raw from the file's metadata).
/// </summary>
public sealed class ParquetBatchWriterTests
{
    public static TheoryData<TimeUnit, long?[], long?[]> Units => new()
    {
        // Raw Arrow values, then the microseconds expected.
        { TimeUnit.Second, [1, null, -2], [1_000_000, null, -2_000_000] },
        { TimeUnit.Millisecond, [1_618_221_600_123, -1, null], [1_618_221_600_123_000, -1_000, null] },
        { TimeUnit.Microsecond, [-1, 1_618_221_600_000_001, null], [-1, 1_618_221_600_000_001, null] },
        { TimeUnit.Nanosecond, [-1_500, 1_618_221_600_000_001_999, 999, null], [-2, 1_618_221_600_000_001, 0, null] },
    };

    [Theory]
    [MemberData(nameof(Units))]
    public async Task WriteAsync_Timestamps_FlooredMicrosecondsWithTrueStatistics(TimeUnit unit, long?[] raw, long?[] microseconds)
    {
        var type = new TimestampType(unit, "UTC");
        var array = new TimestampArray(
            type,
            new ArrowBuffer.Builder<long>().AppendRange(raw.Select(v => v ?? 0)).Build(),
            new ArrowBuffer.BitmapBuilder().AppendRange(raw.Select(v => v.HasValue)).Build(),
            raw.Length,
            raw.Count(v => v is null),
            0);
        var batch = new RecordBatch(new Schema([new Apache.Arrow.Field("t", type, nullable: true)], null), [array], raw.Length);
        using var stream = new MemoryStream();
        await ParquetBatchWriter.WriteAsync(stream, ["t"], One(batch), CancellationToken.None);

        stream.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(stream);
        var field = Assert.IsType<DateTimeDataField>(reader.Schema.DataFields.Single());
        Assert.Equal((DateTimeFormat.Timestamp, DateTimeTimeUnit.Micros, true), (field.DateTimeFormat, field.Unit, field.IsAdjustedToUTC));
        using var group = reader.OpenRowGroupReader(0);
        var values = new DateTime?[raw.Length];
        await group.ReadAsync<DateTime>(field, values);
        Assert.Equal(microseconds.Select(m => m is { } v ? DateTime.UnixEpoch.AddTicks(v * 10) : (DateTime?)null), values);
        var statistics = group.GetMetadata(field)!.MetaData!.Statistics!;
        var present = microseconds.OfType<long>().ToArray();
        Assert.Equal((present.Min(), present.Max()), (BitConverter.ToInt64(statistics.MinValue!), BitConverter.ToInt64(statistics.MaxValue!)));
    }

    private static async IAsyncEnumerable<RecordBatch> One(RecordBatch batch)
    {
        await Task.Yield();
        yield return batch;
    }
}
