using Apache.Arrow;
using Parquet;
using Parquet.Schema;

namespace Granary.Postgres;

/// <summary>
/// Writes Arrow batches to Parquet, one row group per batch, so memory holds one batch at a time.
/// Timestamps are INT64 microseconds adjusted to UTC, as DuckDB writes TIMESTAMPTZ.
/// </summary>
internal static class ParquetBatchWriter
{
    public static async Task WriteAsync(
        Stream stream, IReadOnlyList<(string Name, Type Type)> columns, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken)
    {
        var fields = columns.Select(c => FieldFor(c.Name, c.Type)).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in batches.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < fields.Length; i++)
            {
                await WriteColumnAsync(group, fields[i], batch.Column(i), cancellationToken).ConfigureAwait(false);
            }

            group.CompleteValidate();
        }
    }

    private static DataField FieldFor(string name, Type type) => type switch
    {
        _ when type == typeof(long) => new DataField<long?>(name),
        _ when type == typeof(int) || type == typeof(short) => new DataField<int?>(name),
        _ when type == typeof(double) || type == typeof(decimal) => new DataField<double?>(name),
        _ when type == typeof(float) => new DataField<float?>(name),
        _ when type == typeof(bool) => new DataField<bool?>(name),
        _ when type == typeof(string) => new DataField<string>(name, true),
        _ when type == typeof(byte[]) => new DataField<byte[]>(name, true),
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) =>
            new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        _ when type.IsArray => throw new GranaryException(
            $"column '{name}' is a list; the PostgreSQL store writes lists to CSV or Arrow batches, not yet to Parquet"),
        _ => new DataField<string>(name, true),
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
