using Apache.Arrow;
using Granary.FeatureLogs;
using Parquet;
using Parquet.Schema;

namespace Granary.Tests.FeatureLogs;

/// <summary>
/// A log's text column copies its values into one reused character buffer: what is written is what was set
/// (nulls, non-ASCII text, values longer than the buffer, a request id as 32 hex digits), across a full buffer
/// and after the column is cleared for the next batch.
/// </summary>
public sealed class FeatureLogStringColumnTests
{
    private static readonly Guid Id = new("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public async Task WriteAsync_TextOfEveryLength_ReadBackAsSet()
    {
        var column = Column();
        string?[] values = ["driver-1001", null, "Göteborg ✓", new string('x', 5000), "", .. Enumerable.Range(0, 300).Select(i => $"key-{i:D5}")];
        column.EnsureCapacity(values.Length + 1);
        for (var row = 0; row < values.Length; row++)
        {
            column.Set(row, values[row]);
        }

        column.SetValue(values.Length, column.Copy(Id));

        string?[] expected = [.. values, "0f8fad5bd9cb469fa16570867728950e"];
        var written = await WrittenAsync(column, values.Length + 1);
        Assert.Equal(expected, written);
        Assert.Equal(expected, Arrow(column, values.Length + 1));
    }

    [Fact]
    public async Task Clear_NextBatchReusesTheBuffer_WritesItsOwnText()
    {
        var column = Column();
        column.EnsureCapacity(2);
        column.Set(0, "first-batch-a");
        column.Set(1, 42L); // not text: written as its invariant text
        var first = await WrittenAsync(column, 2);

        column.Clear();
        column.Set(0, "second");

        var second = await WrittenAsync(column, 1);
        Assert.Equal(new string?[] { "first-batch-a", "42" }, first);
        Assert.Equal(new string?[] { "second" }, second);
    }

    private static FeatureLogColumnBuffer.StringColumn Column() => (FeatureLogColumnBuffer.StringColumn)FeatureLogColumnBuffer.For("s", typeof(string));

    private static async Task<string?[]> WrittenAsync(FeatureLogColumnBuffer column, int rows)
    {
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(column.ParquetField), stream))
        {
            using var group = writer.CreateRowGroup();
            await column.WriteAsync(group, rows);
            group.CompleteValidate();
        }

        stream.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(stream);
        using var group0 = reader.OpenRowGroupReader(0);
        var values = new string?[rows];
        await group0.ReadAsync(reader.Schema.DataFields[0], values.AsMemory());
        return values;
    }

    private static string?[] Arrow(FeatureLogColumnBuffer column, int rows)
    {
        var array = (StringArray)column.ToArrow(rows);
        return [.. Enumerable.Range(0, rows).Select(i => array.IsNull(i) ? null : array.GetString(i))];
    }
}
