using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Parquet;
using Parquet.Schema;

namespace Granary.Offline;

/// <summary>A Parquet entity file: the schema and row count come from the footer, values a row group at a time.</summary>
internal sealed class ParquetEntityFileReader : EntityFileReader
{
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;

    private ParquetEntityFileReader(string path, ParquetReader reader, DataField[] fields, Schema schema, long rowCount)
        : base(path, schema, schema.FieldsList.Select(ColumnOf).ToArray(), rowCount)
    {
        _reader = reader;
        _fields = fields;
    }

    /// <inheritdoc/>
    public override bool IsParquet => true;

    public static async Task<ParquetEntityFileReader> CreateAsync(string path, CancellationToken cancellationToken)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new GranaryException($"entity file '{path}' is not a readable Parquet file ({e.Message})", e);
        }

        try
        {
            var fields = reader.Schema.Fields.Select(f => f is DataField { IsArray: false } data
                ? data
                : throw new GranaryException($"entity file '{path}': column '{f.Name}' is a list, map or struct; entity rows hold flat columns only")).ToArray();
            var schema = new Schema(fields.Select(f => new Apache.Arrow.Field(f.Name, ArrowTypeOf(path, f), nullable: true)), null);
            long rows = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                rows += group.RowCount;
            }

            if (rows == 0)
            {
                throw new GranaryException($"entity file '{path}' has no rows; expected one row per entity row");
            }

            return new ParquetEntityFileReader(path, reader, fields, schema, rows);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<RecordBatch> ReadAsync(
        int batchSize = ArrowBatches.DefaultBatchSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        for (var g = 0; g < _reader.RowGroupCount; g++)
        {
            using var group = _reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            var columns = new Func<int, int, IArrowArray>[_fields.Length];
            for (var i = 0; i < _fields.Length; i++)
            {
                columns[i] = await ReadColumnAsync(group, _fields[i], count, cancellationToken).ConfigureAwait(false);
            }

            for (var start = 0; start < count; start += batchSize)
            {
                var length = Math.Min(batchSize, count - start);
                yield return new RecordBatch(Schema, columns.Select(c => c(start, length)), length);
            }
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static IArrowType ArrowTypeOf(string path, DataField field)
    {
        var type = field.ClrType;
        return type switch
        {
            _ when type == typeof(bool) => BooleanType.Default,
            _ when type == typeof(int) || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort) => Int32Type.Default,
            _ when type == typeof(long) || type == typeof(uint) || type == typeof(ulong) => Int64Type.Default,
            _ when type == typeof(float) => FloatType.Default,
            _ when type == typeof(double) || type == typeof(decimal) => DoubleType.Default,
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => StringType.Default,
            _ when type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) => BinaryType.Default,
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) => CsvColumnType.Timestamps,
            _ => throw new GranaryException(
                $"entity file '{path}': column '{field.Name}' has a Parquet type read as {type.Name} (such as TIME or INTERVAL), which entity rows do not take; " +
                "expected booleans, integers, floats, decimals, strings, bytes, timestamps or dates"),
        };
    }

    private async Task<Func<int, int, IArrowArray>> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[count];
            await group.ReadAsync(field, strings.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return (start, length) => Strings(strings, start, length);
        }

        if (type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>))
        {
            var bytes = new byte[]?[count];
            await group.ReadAsync(field, bytes.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return (start, length) => Binaries(bytes, start, length);
        }

        return type switch
        {
            _ when type == typeof(bool) => Bools(await ReadValuesAsync<bool>(group, field, count, cancellationToken).ConfigureAwait(false)),
            _ when type == typeof(int) => Int32s(await ReadValuesAsync<int>(group, field, count, cancellationToken).ConfigureAwait(false), x => x),
            _ when type == typeof(short) => Int32s(await ReadValuesAsync<short>(group, field, count, cancellationToken).ConfigureAwait(false), x => x),
            _ when type == typeof(sbyte) => Int32s(await ReadValuesAsync<sbyte>(group, field, count, cancellationToken).ConfigureAwait(false), x => x),
            _ when type == typeof(byte) => Int32s(await ReadValuesAsync<byte>(group, field, count, cancellationToken).ConfigureAwait(false), x => x),
            _ when type == typeof(ushort) => Int32s(await ReadValuesAsync<ushort>(group, field, count, cancellationToken).ConfigureAwait(false), x => x),
            _ when type == typeof(long) => Int64s(await ReadValuesAsync<long>(group, field, count, cancellationToken).ConfigureAwait(false), x => x),
            _ when type == typeof(uint) => Int64s(await ReadValuesAsync<uint>(group, field, count, cancellationToken).ConfigureAwait(false), x => x),
            _ when type == typeof(ulong) => Int64s(await ReadValuesAsync<ulong>(group, field, count, cancellationToken).ConfigureAwait(false), x => x <= long.MaxValue
                ? (long)x
                : throw new GranaryException($"entity file '{Path}': column '{field.Name}' holds {x}, beyond the int64 range that UINT64 columns are read as")),
            _ when type == typeof(float) => Floats(await ReadValuesAsync<float>(group, field, count, cancellationToken).ConfigureAwait(false)),
            _ when type == typeof(double) => Doubles(await ReadValuesAsync<double>(group, field, count, cancellationToken).ConfigureAwait(false), x => x),
            _ when type == typeof(decimal) => Doubles(await ReadValuesAsync<decimal>(group, field, count, cancellationToken).ConfigureAwait(false), x => (double)x),
            _ when type == typeof(DateTime) => Timestamps(await ReadValuesAsync<DateTime>(group, field, count, cancellationToken).ConfigureAwait(false), x =>
                x.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(x.Ticks, TimeSpan.Zero) : new DateTimeOffset(x.ToUniversalTime().Ticks, TimeSpan.Zero)),
            _ when type == typeof(DateTimeOffset) => Timestamps(await ReadValuesAsync<DateTimeOffset>(group, field, count, cancellationToken).ConfigureAwait(false), x => x.ToUniversalTime()),
            _ when type == typeof(DateOnly) => Timestamps(await ReadValuesAsync<DateOnly>(group, field, count, cancellationToken).ConfigureAwait(false), x =>
                new DateTimeOffset(x.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            _ => throw new InvalidOperationException($"unmapped Parquet type {type.Name}"),
        };
    }

    private static async Task<T?[]> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[count];
        if (field.IsNullable)
        {
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values;
        }

        var required = new T[count];
        await group.ReadAsync(field, required.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            values[i] = required[i];
        }

        return values;
    }

    private static Func<int, int, IArrowArray> Bools(bool?[] values) =>
        Column(values, () => new BooleanArray.Builder(), (b, v) => b.Append(v), b => b.AppendNull(), b => b.Build());

    private static Func<int, int, IArrowArray> Int32s<T>(T?[] values, Func<T, int> convert)
        where T : struct =>
        Column(values, () => new Int32Array.Builder(), (b, v) => b.Append(convert(v)), b => b.AppendNull(), b => b.Build());

    private static Func<int, int, IArrowArray> Int64s<T>(T?[] values, Func<T, long> convert)
        where T : struct =>
        Column(values, () => new Int64Array.Builder(), (b, v) => b.Append(convert(v)), b => b.AppendNull(), b => b.Build());

    private static Func<int, int, IArrowArray> Floats(float?[] values) =>
        Column(values, () => new FloatArray.Builder(), (b, v) => b.Append(v), b => b.AppendNull(), b => b.Build());

    private static Func<int, int, IArrowArray> Doubles<T>(T?[] values, Func<T, double> convert)
        where T : struct =>
        Column(values, () => new DoubleArray.Builder(), (b, v) => b.Append(convert(v)), b => b.AppendNull(), b => b.Build());

    private static Func<int, int, IArrowArray> Timestamps<T>(T?[] values, Func<T, DateTimeOffset> convert)
        where T : struct =>
        Column(
            values, () => new TimestampArray.Builder(TimeUnit.Microsecond, "UTC"),
            (b, v) => b.Append(CsvColumnType.TruncateToMicroseconds(convert(v))), b => b.AppendNull(), b => b.Build());

    /// <summary>Builds the Arrow array of rows [start, start + length) of a column read from a row group.</summary>
    private static Func<int, int, IArrowArray> Column<T, TBuilder>(
        T?[] values, Func<TBuilder> create, Action<TBuilder, T> append, Action<TBuilder> appendNull, Func<TBuilder, IArrowArray> build)
        where T : struct => (start, length) =>
    {
        var builder = create();
        for (var i = start; i < start + length; i++)
        {
            if (values[i] is { } value)
            {
                append(builder, value);
            }
            else
            {
                appendNull(builder);
            }
        }

        return build(builder);
    };

    private static IArrowArray Strings(string?[] values, int start, int length)
    {
        var builder = new StringArray.Builder();
        for (var i = start; i < start + length; i++)
        {
            if (values[i] is { } value)
            {
                builder.Append(value);
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build();
    }

    private static IArrowArray Binaries(byte[]?[] values, int start, int length)
    {
        var builder = new BinaryArray.Builder();
        for (var i = start; i < start + length; i++)
        {
            if (values[i] is { } value)
            {
                builder.Append(value.AsSpan());
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build();
    }
}
