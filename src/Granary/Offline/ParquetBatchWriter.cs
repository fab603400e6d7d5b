using Apache.Arrow;
using Parquet;
using Parquet.Schema;

namespace Granary.Offline;

/// <summary>
/// Writes Arrow batches to Parquet, one row group per batch, so memory holds one batch at a time.
/// Timestamps are INT64 microseconds adjusted to UTC, as DuckDB writes TIMESTAMPTZ.
/// </summary>
/// <remarks>
/// Timestamps are handed to Parquet.Net as their int64 numbers, not as <see cref="DateTime"/>s: its DateTime
/// path writes the min/max statistics of microsecond columns in milliseconds (aloneguid/parquet-dotnet#769),
/// so a reader that skips row groups by them (DuckDB does) missed rows of Granary's files, and it encodes
/// value by value through a new 8-byte array each. Its int64 path copies the numbers and computes the
/// statistics on them. The file's column stays the TIMESTAMP field; the numbers go in through an int64 twin
/// of the same name (<see cref="Int64Twin"/>), which Parquet.Net matches by name.
/// </remarks>
internal static class ParquetBatchWriter
{
    /// <summary>
    /// Writes the batches; column types come from the first batch's Arrow schema (a result without
    /// rows is written with text columns of the given names).
    /// </summary>
    public static async Task WriteAsync(Stream stream, IReadOnlyList<string> names, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken)
    {
        ParquetWriter? writer = null;
        DataField[] fields = [];
        DataField[] twins = [];
        try
        {
            await foreach (var batch in batches.ConfigureAwait(false))
            {
                if (writer is null)
                {
                    fields = batch.Schema.FieldsList.Select(f => FieldFor(f.Name, f.DataType, millisecondTimestamps: false)).ToArray();
                    writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, cancellationToken).ConfigureAwait(false);
                    twins = fields.Select(f => f is DateTimeDataField ? Int64Twin(f) : f).ToArray();
                }

                await WriteGroupAsync(writer, twins, batch, cancellationToken).ConfigureAwait(false);
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
                var unit = ((Apache.Arrow.Types.TimestampType)a.Data.DataType).Unit;
                await group.WriteAsync<long>(field, Values<long, TimestampArray>(a, (x, i) => Aggregations.Micros.OfArrow(x.GetValue(i)!.Value, unit)), null, null, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The int64 field through which the numbers of the timestamp column <paramref name="timestamp"/> are
    /// written (see the remarks above); its own one-field schema gives it the definition level of a nullable
    /// top-level column, as the file's schema gives the timestamp field.
    /// </summary>
    internal static DataField Int64Twin(DataField timestamp) => new ParquetSchema(new DataField<long?>(timestamp.Name)).DataFields[0];

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
