using Apache.Arrow;
using Granary.FeatureLogs;
using Parquet;
using Parquet.Schema;

namespace Granary.Tests.FeatureLogs;

/// <summary>
/// A log's timestamp column is written as raw int64 milliseconds under the file's TIMESTAMP(MILLIS, UTC)
/// field. Read back with Parquet.Net's own reader and its raw statistics: the values are each instant floored
/// to the millisecond (as <see cref="DateTimeOffset.ToUnixTimeMilliseconds"/> and Parquet.Net's DateTime path
/// do), nulls stay null, and min/max are the smallest and largest of those numbers.
/// </summary>
public sealed class FeatureLogTimestampColumnTests
{
    // 2021-04-12T10:00:00Z is 1,618,221,600 s after the epoch.
    private static readonly DateTimeOffset Ten = new(2021, 4, 12, 10, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset?[] Instants =
    [
        Ten.AddTicks(1_239_999), // 123.9999 ms: floored to .123
        null,
        new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_995_000), // 0.5 ms before the epoch: -1 ms
        new DateTimeOffset(2021, 4, 12, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(10_000), // an offset: 10:00:00.001Z
    ];

    private static readonly long?[] Milliseconds = [1_618_221_600_123, null, -1, 1_618_221_600_001];

    [Fact]
    public async Task WriteAsync_FileSaysMillisecondTimestamps_ValuesFlooredAndStatisticsRaw()
    {
        var column = Filled();
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(column.ParquetField), stream))
        {
            using var group = writer.CreateRowGroup();
            await column.WriteAsync(group, Instants.Length);
            group.CompleteValidate();
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(stream);
        var field = Assert.IsType<DateTimeDataField>(reader.Schema.DataFields.Single());
        Assert.Equal(("t", DateTimeFormat.Timestamp, DateTimeTimeUnit.Millis, true), (field.Name, field.DateTimeFormat, field.Unit, field.IsAdjustedToUTC));

        using var group0 = reader.OpenRowGroupReader(0);
        var values = new DateTime?[Instants.Length];
        await group0.ReadAsync<DateTime>(field, values);
        Assert.Equal(Milliseconds.Select(m => m is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v).UtcDateTime : (DateTime?)null), values);

        var statistics = group0.GetMetadata(field)!.MetaData!.Statistics!;
        Assert.Equal(
            (-1L, 1_618_221_600_123L, 1L),
            (BitConverter.ToInt64(statistics.MinValue!), BitConverter.ToInt64(statistics.MaxValue!), statistics.NullCount));
    }

    [Fact]
    public void ToArrow_TheSameMilliseconds_AsMicrosecondTimestamps()
    {
        var array = Assert.IsType<TimestampArray>(Filled().ToArrow(Instants.Length));

        Assert.Equal(Milliseconds.Select(m => m is { } v ? v * 1000 : (long?)null), Enumerable.Range(0, array.Length).Select(i => array.GetValue(i)));
    }

    [Fact]
    public void Set_DateTimeOfAnyKind_TakenAsUtc()
    {
        var column = (FeatureLogColumnBuffer.TimestampColumn)FeatureLogColumnBuffer.For("t", typeof(DateTimeOffset));
        column.EnsureCapacity(2);
        column.Set(0, new DateTime(2021, 4, 12, 10, 0, 0, 1, DateTimeKind.Unspecified));
        column.Set(1, new DateOnly(1970, 1, 2));

        var array = (TimestampArray)column.ToArrow(2);

        Assert.Equal([1_618_221_600_001_000L, 86_400_000_000L], new[] { array.GetValue(0), array.GetValue(1) });
    }

    private static FeatureLogColumnBuffer.TimestampColumn Filled()
    {
        var column = (FeatureLogColumnBuffer.TimestampColumn)FeatureLogColumnBuffer.For("t", typeof(DateTimeOffset));
        column.EnsureCapacity(Instants.Length);
        for (var row = 0; row < Instants.Length; row++)
        {
            column.SetInstant(row, Instants[row]);
        }

        return column;
    }
}
