using Apache.Arrow;
using Granary.Online;
using Parquet;

namespace Granary.FeatureLogs;

/// <summary>
/// A batch of log rows of one layout and one day, filled by reads as they are answered and then written
/// by the background writer, one file (or table append) per batch. Its column buffers are reused from
/// batch to batch, so a logged read leaves nothing behind on the heap but the values it copied in.
/// </summary>
internal sealed class FeatureLogRows
{
    private readonly FeatureLogColumnBuffer[] _columns;

    // Parquet.Net writes a column only through the field instance its schema holds: one schema per buffer set.
    private readonly Parquet.Schema.ParquetSchema _parquetSchema;

    public FeatureLogRows(FeatureLogLayout layout, FeatureLogColumnBuffer[] columns)
    {
        Layout = layout;
        _columns = columns;
        _parquetSchema = new Parquet.Schema.ParquetSchema(columns.Select(c => (Parquet.Schema.Field)c.ParquetField).ToArray());
    }

    public FeatureLogLayout Layout { get; }

    /// <summary>The day of the reads' times (UTC): the log's partition.</summary>
    public DateOnly Day { get; private set; }

    public int Count { get; private set; }

    /// <summary>Empties the batch for rows of <paramref name="day"/>.</summary>
    public void Reset(DateOnly day)
    {
        Day = day;
        Count = 0;
        foreach (var column in _columns)
        {
            column.Clear();
        }
    }

    /// <summary>Appends a read's rows; on failure the batch is left as it was.</summary>
    public void Append(OnlineFeaturesRequest request, OnlineResponse response, DateTimeOffset time, int rows)
    {
        Layout.Append(_columns, Count, request, response, time, rows);
        Count += rows;
    }

    /// <summary>The rows as an Arrow batch, for a log kept in a table.</summary>
    public RecordBatch ToBatch() =>
        new(new Schema(_columns.Select(c => new Field(c.Name, c.ArrowType, nullable: true)), null), _columns.Select(c => c.ToArrow(Count)), Count);

    /// <summary>Writes the rows to <paramref name="stream"/> as a Parquet file of one row group.</summary>
    public async Task WriteParquetAsync(Stream stream)
    {
        await using var writer = await ParquetWriter.CreateAsync(_parquetSchema, stream, null, false, CancellationToken.None).ConfigureAwait(false);
        using var group = writer.CreateRowGroup();
        foreach (var column in _columns)
        {
            await column.WriteAsync(group, Count).ConfigureAwait(false);
        }

        group.CompleteValidate();
    }
}
