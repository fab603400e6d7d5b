using System.Collections;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Granary.Offline;

/// <summary>
/// Turns rows from an ADO.NET reader into Arrow record batches, a batch at a time, so that offline
/// stores hand results to .NET callers without holding them whole.
/// </summary>
public static class ArrowBatches
{
    /// <summary>The number of rows per batch unless a caller asks otherwise.</summary>
    public const int DefaultBatchSize = 65_536;

    /// <summary>Reads the remaining rows of <paramref name="reader"/> as batches of at most <paramref name="batchSize"/> rows.</summary>
    public static IAsyncEnumerable<RecordBatch> ReadAsync(
        DbDataReader reader, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadAsync(reader, Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType).ToArray(), batchSize, cancellationToken);
    }

    /// <summary>
    /// Reads the remaining rows of <paramref name="reader"/> as batches of at most
    /// <paramref name="batchSize"/> rows, each column's Arrow type following <paramref name="fieldTypes"/>:
    /// for readers whose own field types are too vague (Npgsql gives <see cref="System.Array"/> for every array).
    /// </summary>
    public static async IAsyncEnumerable<RecordBatch> ReadAsync(
        DbDataReader reader, IReadOnlyList<Type> fieldTypes, int batchSize = DefaultBatchSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fieldTypes);
        var columns = Enumerable.Range(0, reader.FieldCount)
            .Select(i => ColumnBuffer.For(reader.GetName(i), fieldTypes[i]).Typed(reader.GetFieldType(i), batchSize))
            .ToArray();
        var schema = new Schema(columns.Select(c => c.Field), null);
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i].Append(reader, i);
            }

            if (++rows == batchSize)
            {
                yield return new RecordBatch(schema, columns.Select(c => c.Build()), rows);
                rows = 0;
            }
        }

        if (rows > 0)
        {
            yield return new RecordBatch(schema, columns.Select(c => c.Build()), rows);
        }
    }

    /// <summary>
    /// Builds one batch from columns of .NET values: each column's Arrow type follows its .NET type
    /// (as for reader columns), and every column holds <paramref name="length"/> values.
    /// </summary>
    public static RecordBatch FromColumns(IReadOnlyList<(string Name, Type Type, IReadOnlyList<object?> Values)> columns, int length)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var buffers = new ColumnBuffer[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var (name, type, values) = columns[c];
            if (values.Count != length)
            {
                throw new ArgumentException($"column '{name}' has {values.Count} values, not {length}", nameof(columns));
            }

            buffers[c] = ColumnBuffer.For(name, type);
            foreach (var value in values)
            {
                buffers[c].Append(value);
            }
        }

        return new RecordBatch(new Schema(buffers.Select(b => b.Field), null), buffers.Select(b => b.Build()), length);
    }

    /// <summary>The value at <paramref name="row"/> of an Arrow array as a .NET object; null for a null.</summary>
    public static object? GetValue(IArrowArray array, int row)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.IsNull(row))
        {
            return null;
        }

        return array switch
        {
            Int64Array a => a.GetValue(row),
            Int32Array a => a.GetValue(row),
            Int16Array a => (int?)a.GetValue(row),
            Int8Array a => (int?)a.GetValue(row),
            UInt64Array a => (long?)a.GetValue(row),
            UInt32Array a => (long?)a.GetValue(row),
            DoubleArray a => a.GetValue(row),
            FloatArray a => a.GetValue(row),
            StringArray a => a.GetString(row),
            BooleanArray a => a.GetValue(row),
            BinaryArray a => a.GetBytes(row).ToArray(),
            TimestampArray a => a.GetTimestamp(row)!.Value.ToUniversalTime(),
            Date32Array a => new DateTimeOffset(a.GetDateTime(row)!.Value, TimeSpan.Zero),
            ListArray a => ListValue(a, row),
            _ => throw new NotSupportedException($"Arrow type {array.Data.DataType.Name} is not a Granary type"),
        };
    }

    private static object ListValue(ListArray array, int row)
    {
        var values = array.GetSlicedValues(row);
        var items = Enumerable.Range(0, values.Length).Select(i => GetValue(values, i)).ToArray();
        return values switch
        {
            Int64Array => items.Select(x => (long)x!).ToArray(),
            Int32Array => items.Select(x => (int)x!).ToArray(),
            DoubleArray => items.Select(x => (double)x!).ToArray(),
            FloatArray => items.Select(x => (float)x!).ToArray(),
            BooleanArray => items.Select(x => (bool)x!).ToArray(),
            StringArray => items.Select(x => (string)x!).ToArray(),
            TimestampArray => items.Select(x => (DateTimeOffset)x!).ToArray(),
            _ => items,
        };
    }

    /// <summary>Accumulates one column's values and builds its Arrow array.</summary>
    private abstract class ColumnBuffer
    {
        protected ColumnBuffer(Apache.Arrow.Field field)
        {
            Field = field;
        }

        public Apache.Arrow.Field Field { get; }

        public abstract void Append(object? value);

        /// <summary>Appends a reader's value: boxed, unless <see cref="Typed"/> found a getter that needs no box.</summary>
        public virtual void Append(DbDataReader reader, int ordinal) => Append(reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal));

        /// <summary>
        /// This buffer reading a column whose reader type is <paramref name="readerType"/> without boxing, where
        /// the reader's own type is the buffer's (numbers, booleans, times), with room for <paramref name="capacity"/>
        /// values a batch once a batch has filled: a value a cell at a time through <c>GetValue</c>, and builders that
        /// grow by doubling, cost most of the time of reading a wide result.
        /// </summary>
        public virtual ColumnBuffer Typed(Type readerType, int capacity) => this;

        public abstract IArrowArray Build();

        public static ColumnBuffer For(string name, Type type) => type switch
        {
            _ when type == typeof(long) || type == typeof(ulong) || type == typeof(System.Numerics.BigInteger) =>
                new Buffer<long, Int64Array, Int64Array.Builder>(name, Int64Type.Default, v => Convert.ToInt64(v, null), (b, v) => b.Append(v), b => b.AppendNull()),
            _ when type == typeof(int) || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort) =>
                new Buffer<int, Int32Array, Int32Array.Builder>(name, Int32Type.Default, v => Convert.ToInt32(v, null), (b, v) => b.Append(v), b => b.AppendNull()),
            _ when type == typeof(uint) =>
                new Buffer<long, Int64Array, Int64Array.Builder>(name, Int64Type.Default, v => Convert.ToInt64(v, null), (b, v) => b.Append(v), b => b.AppendNull()),
            _ when type == typeof(double) || type == typeof(decimal) =>
                new Buffer<double, DoubleArray, DoubleArray.Builder>(name, DoubleType.Default, v => Convert.ToDouble(v, null), (b, v) => b.Append(v), b => b.AppendNull()),
            _ when type == typeof(float) =>
                new Buffer<float, FloatArray, FloatArray.Builder>(name, FloatType.Default, v => Convert.ToSingle(v, null), (b, v) => b.Append(v), b => b.AppendNull()),
            _ when type == typeof(bool) =>
                new Buffer<bool, BooleanArray, BooleanArray.Builder>(name, BooleanType.Default, v => (bool)v, (b, v) => b.Append(v), b => b.AppendNull()),
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) =>
                new Buffer<DateTimeOffset, TimestampArray, TimestampArray.Builder>(name, new TimestampType(TimeUnit.Microsecond, "UTC"), ToInstant, (b, v) => b.Append(v), b => b.AppendNull(), () => new TimestampArray.Builder(TimeUnit.Microsecond, "UTC")),
            _ when type == typeof(byte[]) || typeof(Stream).IsAssignableFrom(type) =>
                new Buffer<byte[], BinaryArray, BinaryArray.Builder>(name, BinaryType.Default, ToBytes, (b, v) => b.Append(v.AsSpan()), b => b.AppendNull()),
            _ when typeof(IList).IsAssignableFrom(type) && type.IsGenericType =>
                new ListBuffer(name, type.GetGenericArguments()[0]),
            _ when typeof(IList).IsAssignableFrom(type) && type.IsArray =>
                new ListBuffer(name, type.GetElementType()!),
            _ => new Buffer<string, StringArray, StringArray.Builder>(name, StringType.Default, v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, (b, v) => b.Append(v), b => b.AppendNull()),
        };

        private static DateTimeOffset ToInstant(object value) => value switch
        {
            DateTimeOffset o => o.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            _ => throw new InvalidCastException($"{value.GetType().Name} is not a timestamp"),
        };

        private static byte[] ToBytes(object value)
        {
            if (value is byte[] bytes)
            {
                return bytes;
            }

            using var stream = (Stream)value;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    private sealed class Buffer<T, TArray, TBuilder> : ColumnBuffer
        where TArray : IArrowArray
        where TBuilder : IArrowArrayBuilder<TArray>, new()
    {
        private readonly Func<object, T> _convert;
        private readonly Action<TBuilder, T> _append;
        private readonly Action<TBuilder> _appendNull;
        private readonly Func<TBuilder> _create;
        private TBuilder _builder;

        public Buffer(string name, IArrowType type, Func<object, T> convert, Action<TBuilder, T> append, Action<TBuilder> appendNull, Func<TBuilder>? create = null)
            : base(new Apache.Arrow.Field(name, type, nullable: true))
        {
            _convert = convert;
            _append = append;
            _appendNull = appendNull;
            _create = create ?? (() => new TBuilder());
            _builder = _create();
        }

        private Func<DbDataReader, int, T>? _read;
        private int _capacity;

        public override void Append(object? value)
        {
            if (value is null)
            {
                _appendNull(_builder);
            }
            else
            {
                _append(_builder, _convert(value));
            }
        }

        public override void Append(DbDataReader reader, int ordinal)
        {
            if (_read is null)
            {
                base.Append(reader, ordinal);
            }
            else if (reader.IsDBNull(ordinal))
            {
                _appendNull(_builder);
            }
            else
            {
                _append(_builder, _read(reader, ordinal));
            }
        }

        public override ColumnBuffer Typed(Type readerType, int capacity)
        {
            _capacity = capacity;
            // The same conversions as the boxed path: a time is UTC, as ToInstant reads a DateTime.
            _read = readerType == typeof(T) ? (r, i) => r.GetFieldValue<T>(i)
                : typeof(T) == typeof(DateTimeOffset) && readerType == typeof(DateTime)
                    ? (Func<DbDataReader, int, T>)(object)(Func<DbDataReader, int, DateTimeOffset>)((r, i) => new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc)))
                : null;
            return this;
        }

        public override IArrowArray Build()
        {
            var array = _builder.Build(default);
            _builder = _create();
            if (array.Length == _capacity)
            {
                // A full batch: the next is likely full too, so its room is taken at once rather than by doublings.
                Reserve(_builder, _capacity);
            }

            return array;
        }
    }

    /// <summary>Room for <paramref name="capacity"/> values in a fixed-width builder; others grow as they go.</summary>
    private static void Reserve(object builder, int capacity)
    {
        if (capacity <= 0)
        {
            return;
        }

        _ = builder switch
        {
            Int64Array.Builder b => (object)b.Reserve(capacity),
            Int32Array.Builder b => b.Reserve(capacity),
            DoubleArray.Builder b => b.Reserve(capacity),
            FloatArray.Builder b => b.Reserve(capacity),
            BooleanArray.Builder b => b.Reserve(capacity),
            TimestampArray.Builder b => b.Reserve(capacity),
            _ => builder,
        };
    }

    private sealed class ListBuffer : ColumnBuffer
    {
        private readonly ColumnBuffer _values;
        private readonly List<int> _offsets = [0];
        private readonly ArrowBuffer.BitmapBuilder _validity = new();
        private int _count;

        public ListBuffer(string name, Type elementType)
            : this(name, For("item", elementType))
        {
        }

        private ListBuffer(string name, ColumnBuffer values)
            : base(new Apache.Arrow.Field(name, new ListType(values.Field), nullable: true))
        {
            _values = values;
        }

        public override void Append(object? value)
        {
            if (value is IList list)
            {
                foreach (var item in list)
                {
                    _values.Append(item);
                }

                _count += list.Count;
                _validity.Append(true);
            }
            else
            {
                _validity.Append(false);
            }

            _offsets.Add(_count);
        }

        public override IArrowArray Build()
        {
            var values = _values.Build();
            var offsets = new ArrowBuffer.Builder<int>().AppendRange(_offsets).Build();
            var length = _offsets.Count - 1;
            var nulls = _validity.UnsetBitCount;
            var array = new ListArray(Field.DataType, length, offsets, values, _validity.Build(), nulls);
            _offsets.Clear();
            _offsets.Add(0);
            _count = 0;
            _validity.Clear();
            return array;
        }
    }
}
