using Apache.Arrow;
using Parquet;
using Parquet.Schema;

namespace Granary.Offline;

/// <summary>
/// Writes Arrow batches to Parquet, one row group per batch, so memory holds one batch at a time.
/// Timestamps are INT64 microseconds adjusted to UTC, as DuckDB writes TIMESTAMPTZ.
/// </summary>
internal static class ParquetBatchWriter
{
    /// <summary>
    /// Writes the batches; column types come from the first batch's Arrow schema (a result without
    /// rows is written with text columns of the given names). With <paramref name="millisecondTimestamps"/>
    /// times are kept to the millisecond: Parquet.Net 6.1 writes the min/max statistics of microsecond
    /// timestamps in milliseconds (aloneguid/parquet-dotnet#769), so a reader that filters on such a
    /// column by its statistics (DuckDB does) skips every row; millisecond columns get true statistics.
    /// </summary>
    public static async Task WriteAsync(
        Stream stream, IReadOnlyList<string> names, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken, bool millisecondTimestamps = false)
    {
        ParquetWriter? writer = null;
        DataField[] fields = [];
        try
        {
            await foreach (var batch in batches.ConfigureAwait(false))
            {
                if (writer is null)
                {
                    fields = batch.Schema.FieldsList.Select(f => FieldFor(f.Name, f.DataType, millisecondTimestamps)).ToArray();
                    writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, cancellationToken).ConfigureAwait(false);
                }

                await WriteGroupAsync(writer, fields, batch, cancellationToken).ConfigureAwait(false);
            }

            if (writer is null)
            {
                fields = names.Select(n => (DataField)new DataField<string>(n, true)).ToArray();
                writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteGroupAsync(ParquetWriter writer, DataField[] fields, RecordBatch batch, CancellationToken cancellationToken)
    {
        using var group = writer.CreateRowGroup();
        for (var i = 0; i < fields.Length; i++)
        {
            await WriteColumnAsync(group, fields[i], batch.Column(i), cancellationToken).ConfigureAwait(false);
        }

        group.CompleteValidate();
    }

    /// <summary>The Parquet field of an Arrow column, as every Parquet file Granary writes types it.</summary>
    internal static DataField FieldFor(string name, Apache.Arrow.Types.IArrowType type, bool millisecondTimestamps) => type switch
    {
        Apache.Arrow.Types.Int64Type => new DataField<long?>(name),
        Apache.Arrow.Types.Int32Type => new DataField<int?>(name),
        Apache.Arrow.Types.DoubleType => new DataField<double?>(name),
        Apache.Arrow.Types.FloatType => new DataField<float?>(name),
        Apache.Arrow.Types.BooleanType => new DataField<bool?>(name),
        Apache.Arrow.Types.StringType => new DataField<string>(name, true),
        Apache.Arrow.Types.BinaryType => new DataField<byte[]>(name, true),
        Apache.Arrow.Types.TimestampType =>
            new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: millisecondTimestamps ? DateTimeTimeUnit.Millis : DateTimeTimeUnit.Micros, isNullable: true),
        _ => throw new GranaryException(
            $"column '{name}' has the Arrow type {type.Name}; write lists to CSV or read them as Arrow batches, Parquet output does not take them yet"),
    };

    private static async Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, IArrowArray array, CancellationToken cancellationToken)
    {
        switch (array)
        {
            case Int64Array a:
                await group.WriteAsync<long>(field, Values(a, (x, i) => x.GetValue(i)), null, null, cancellationToken).ConfigureAwait(false);
                break;
            case Int32Array a:
                await group.WriteAsync<int>(field, Values(a, (x, i) => x.GetValue(i)), null, null, cancellationToken).ConfigureAwait(false);
                break;
            case DoubleArray a:
                await group.WriteAsync<double>(field, Values(a, (x, i) => x.GetValue(i)), null, null, cancellationToken).ConfigureAwait(false);
                break;
            case FloatArray a:
                await group.WriteAsync<float>(field, Values(a, (x, i) => x.GetValue(i)), null, null, cancellationToken).ConfigureAwait(false);
                break;
            case BooleanArray a:
                await group.WriteAsync<bool>(field, Values(a, (x, i) => x.GetValue(i)), null, null, cancellationToken).ConfigureAwait(false);
                break;
            case TimestampArray a:
                await group.WriteAsync<DateTime>(field, Values(a, (x, i) => x.GetTimestamp(i)?.UtcDateTime), null, null, cancellationToken).ConfigureAwait(false);
                break;
            case StringArray a:
                await group.WriteAsync(field, Enumerable.Range(0, a.Length).Select(i => a.IsNull(i) ? null : a.GetString(i)).ToArray(), null).ConfigureAwait(false);
                break;
            case BinaryArray a:
                await group.WriteAsync(field, Enumerable.Range(0, a.Length).Select(i => a.IsNull(i) ? null : a.GetBytes(i).ToArray()).ToArray(), null).ConfigureAwait(false);
                break;
            default:
                throw new GranaryException($"column '{field.Name}' has the Arrow type {array.Data.DataType.Name}, which the Parquet writer does not support");
        }
    }

    private static ReadOnlyMemory<T?> Values<T, TArray>(TArray array, Func<TArray, int, T?> get)
        where T : struct
        where TArray : IArrowArray
    {
        var values = new T?[array.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = array.IsNull(i) ? null : get(array, i);
        }

        return values;
    }
}
