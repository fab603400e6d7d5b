using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Offline;
using Granary.Online;
using Parquet;
using Parquet.Schema;

namespace Granary.FeatureLogs;

/// <summary>
/// One column of a batch of log rows, held as typed values (<c>double?[]</c>, not boxes) in a buffer that
/// is reused from flush to flush: reads fill it as they are answered, and the background writer hands it
/// to Parquet as it is, or turns it into an Arrow array for a table. Its Arrow type decides the Parquet type through
/// <see cref="ParquetBatchWriter.FieldFor"/>, so log files keep the types other Parquet output has.
/// </summary>
internal abstract class FeatureLogColumnBuffer
{
    private protected FeatureLogColumnBuffer(string name, IArrowType arrowType)
    {
        Name = name;
        ArrowType = arrowType;
        ParquetField = ParquetBatchWriter.FieldFor(name, arrowType, millisecondTimestamps: true);
    }

    public string Name { get; }

    public IArrowType ArrowType { get; }

    public DataField ParquetField { get; }

    /// <summary>Makes room for <paramref name="rows"/> rows, keeping those it holds.</summary>
    public abstract void EnsureCapacity(int rows);

    /// <summary>Forgets the rows held, for the next batch (the buffers are kept).</summary>
    public virtual void Clear()
    {
    }

    /// <summary>Sets row <paramref name="row"/> from a value of the column's type, or one that converts to it; null for null.</summary>
    public abstract void Set(int row, object? value);

    /// <summary>Writes the first <paramref name="rows"/> rows as the next column of <paramref name="group"/>.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter group, int rows);

    /// <summary>The first <paramref name="rows"/> rows as an Arrow array.</summary>
    public abstract IArrowArray ToArrow(int rows);

    /// <summary>A buffer for values of <paramref name="clrType"/>, the .NET type the layout logs a column as.</summary>
    public static FeatureLogColumnBuffer For(string name, Type clrType) => clrType switch
    {
        _ when clrType == typeof(long) => new Int64Column(name),
        _ when clrType == typeof(int) => new Int32Column(name),
        _ when clrType == typeof(double) => new DoubleColumn(name),
        _ when clrType == typeof(float) => new FloatColumn(name),
        _ when clrType == typeof(bool) => new BoolColumn(name),
        _ when clrType == typeof(DateTimeOffset) => new TimestampColumn(name),
        _ when clrType == typeof(byte[]) => new BinaryColumn(name),
        _ => new StringColumn(name),
    };

    /// <summary>The reused buffer of a column: one cell a row, the default (null) where absent.</summary>
    /// <typeparam name="TCell">A row's cell: <c>T?</c> of the column's type.</typeparam>
    internal abstract class Cells<TCell> : FeatureLogColumnBuffer
    {
        private protected Cells(string name, IArrowType arrowType)
            : base(name, arrowType)
        {
        }

        protected TCell[] Buffer { get; private set; } = [];

        public sealed override void EnsureCapacity(int rows)
        {
            if (Buffer.Length < rows)
            {
                var buffer = Buffer;
                System.Array.Resize(ref buffer, Math.Max(rows, Buffer.Length * 2));
                Buffer = buffer;
            }
        }

        public sealed override void Set(int row, object? value) => Buffer[row] = value is null ? default! : Cell(value);

        /// <summary>Sets row <paramref name="row"/> as it is, without boxing.</summary>
        public void SetValue(int row, TCell value) => Buffer[row] = value;

        /// <summary>The cell of a non-null value: itself when of the column's type, else converted.</summary>
        private protected abstract TCell Cell(object value);
    }

    /// <summary>Values of a struct type, null where absent.</summary>
    internal abstract class Values<T> : Cells<T?>
        where T : struct
    {
        private protected Values(string name, IArrowType arrowType)
            : base(name, arrowType)
        {
        }

        private protected sealed override T? Cell(object value) => value is T typed ? typed : Convert(value);

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows) =>
            group.WriteAsync<T>(ParquetField, Buffer.AsMemory(0, rows), null, null, CancellationToken.None);

        /// <summary>A value of another type that the column takes, as the Arrow batches of query results take it.</summary>
        protected abstract T Convert(object value);

        /// <summary>Appends the first <paramref name="rows"/> values to <paramref name="builder"/>.</summary>
        protected TBuilder ToArrow<TBuilder>(TBuilder builder, int rows, Action<TBuilder, T> append, Action<TBuilder> appendNull)
        {
            foreach (var value in Buffer.AsSpan(0, rows))
            {
                if (value is { } v)
                {
                    append(builder, v);
                }
                else
                {
                    appendNull(builder);
                }
            }

            return builder;
        }
    }

    private sealed class Int64Column(string name) : Values<long>(name, Int64Type.Default)
    {
        protected override long Convert(object value) => System.Convert.ToInt64(value, CultureInfo.InvariantCulture);

        public override IArrowArray ToArrow(int rows) => ToArrow(new Int64Array.Builder(), rows, (b, v) => b.Append(v), b => b.AppendNull()).Build();
    }

    /// <summary>The statuses of a feature's served values, as <see cref="FeatureLogColumns.StatusCode"/> numbers them.</summary>
    internal sealed class StatusColumn(string name) : Int32Column(name)
    {
        /// <summary>Sets row <paramref name="row"/> to the number of <paramref name="status"/>.</summary>
        public void SetStatus(int row, FeatureStatus status) => SetValue(row, FeatureLogColumns.StatusCode(status));
    }

    internal class Int32Column(string name) : Values<int>(name, Int32Type.Default)
    {
        protected override int Convert(object value) => System.Convert.ToInt32(value, CultureInfo.InvariantCulture);

        public override IArrowArray ToArrow(int rows) => ToArrow(new Int32Array.Builder(), rows, (b, v) => b.Append(v), b => b.AppendNull()).Build();
    }

    private sealed class DoubleColumn(string name) : Values<double>(name, DoubleType.Default)
    {
        protected override double Convert(object value) => System.Convert.ToDouble(value, CultureInfo.InvariantCulture);

        public override IArrowArray ToArrow(int rows) => ToArrow(new DoubleArray.Builder(), rows, (b, v) => b.Append(v), b => b.AppendNull()).Build();
    }

    private sealed class FloatColumn(string name) : Values<float>(name, FloatType.Default)
    {
        protected override float Convert(object value) => System.Convert.ToSingle(value, CultureInfo.InvariantCulture);

        public override IArrowArray ToArrow(int rows) => ToArrow(new FloatArray.Builder(), rows, (b, v) => b.Append(v), b => b.AppendNull()).Build();
    }

    private sealed class BoolColumn(string name) : Values<bool>(name, BooleanType.Default)
    {
        protected override bool Convert(object value) => (bool)value;

        public override IArrowArray ToArrow(int rows) => ToArrow(new BooleanArray.Builder(), rows, (b, v) => b.Append(v), b => b.AppendNull()).Build();
    }

    /// <summary>
    /// Instants as milliseconds since the Unix epoch (UTC), the numbers the file's <c>TIMESTAMP(MILLIS)</c>
    /// column holds: a served event time or the read's time goes in without a box.
    /// </summary>
    /// <remarks>
    /// The numbers go to Parquet.Net through the int64 twin of the file's timestamp field, as every timestamp
    /// Granary writes to Parquet (<see cref="ParquetBatchWriter"/>): its DateTime path encodes value by value
    /// through a new 8-byte array each, which was about half of a logged row's write.
    /// </remarks>
    internal sealed class TimestampColumn : Values<long>
    {
        private readonly DataField _numbers;

        public TimestampColumn(string name)
            : base(name, new TimestampType(TimeUnit.Microsecond, "UTC")) =>
            _numbers = ParquetBatchWriter.Int64Twin(ParquetField);

        public void SetInstant(int row, DateTimeOffset? value) => SetValue(row, value?.ToUnixTimeMilliseconds());

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows) =>
            group.WriteAsync<long>(_numbers, Buffer.AsMemory(0, rows), null, null, CancellationToken.None);

        protected override long Convert(object value) => value switch
        {
            DateTimeOffset o => o.ToUnixTimeMilliseconds(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
            DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
            _ => throw new InvalidCastException($"{value.GetType().Name} is not a timestamp"),
        };

        public override IArrowArray ToArrow(int rows) =>
            ToArrow(new TimestampArray.Builder(TimeUnit.Microsecond, "UTC"), rows, (b, v) => b.Append(DateTimeOffset.FromUnixTimeMilliseconds(v)), b => b.AppendNull()).Build();
    }

    /// <summary>Values held as references: bytes.</summary>
    internal abstract class References<T> : Cells<T?>
        where T : class
    {
        private protected References(string name, IArrowType arrowType)
            : base(name, arrowType)
        {
        }

        private protected sealed override T? Cell(object value) => value as T ?? Convert(value);

        protected abstract T Convert(object value);
    }

    /// <summary>
    /// Text copied into one character buffer reused from batch to batch, each row a slice of it. A row holding
    /// the read's own string (a request id, a string key) would keep that string alive until the flush, so the
    /// garbage collector promoted ten thousand of them a batch into gen1 and gen2; copied, nothing of the read
    /// survives it (docs/benchmarks.md, "no per-row strings in the batch").
    /// </summary>
    internal sealed class StringColumn(string name) : Cells<ReadOnlyMemory<char>?>(name, StringType.Default)
    {
        private char[] _chars = new char[4096];
        private int _used;

        public override void Clear() => _used = 0;

        /// <summary>Copies <paramref name="text"/> in and returns its slice, for one row or several.</summary>
        public ReadOnlyMemory<char> Copy(ReadOnlySpan<char> text)
        {
            var start = Reserve(text.Length);
            text.CopyTo(_chars.AsSpan(start));
            return new ReadOnlyMemory<char>(_chars, start, text.Length);
        }

        /// <summary>Writes <paramref name="id"/> in as 32 hex digits (<c>"N"</c>) and returns its slice.</summary>
        public ReadOnlyMemory<char> Copy(Guid id)
        {
            var start = Reserve(32);
            id.TryFormat(_chars.AsSpan(start, 32), out _, "N");
            return new ReadOnlyMemory<char>(_chars, start, 32);
        }

        private protected override ReadOnlyMemory<char>? Cell(object value) =>
            Copy(value as string ?? System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows) =>
            group.WriteAsync<ReadOnlyMemory<char>>(ParquetField, Buffer.AsMemory(0, rows), null, null, CancellationToken.None);

        public override IArrowArray ToArrow(int rows)
        {
            var builder = new StringArray.Builder();
            foreach (var value in Buffer.AsSpan(0, rows))
            {
                if (value is { } text)
                {
                    builder.Append(text.ToString()); // the table path's strings live only until the batch is copied to the table
                }
                else
                {
                    builder.AppendNull();
                }
            }

            return builder.Build();
        }

        /// <summary>The start of <paramref name="length"/> free characters; a full buffer is replaced by one twice as large, the rows before keep theirs.</summary>
        private int Reserve(int length)
        {
            if (_used + length > _chars.Length)
            {
                _chars = new char[Math.Max(_chars.Length * 2, length)];
                _used = 0;
            }

            var start = _used;
            _used += length;
            return start;
        }
    }

    private sealed class BinaryColumn(string name) : References<byte[]>(name, BinaryType.Default)
    {
        protected override byte[] Convert(object value) => throw new InvalidCastException($"{value.GetType().Name} is not bytes");

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows) => group.WriteAsync(ParquetField, new ArraySegment<byte[]?>(Buffer, 0, rows));

        public override IArrowArray ToArrow(int rows)
        {
            var builder = new BinaryArray.Builder();
            foreach (var value in Buffer.AsSpan(0, rows))
            {
                if (value is null)
                {
                    builder.AppendNull();
                }
                else
                {
                    builder.Append(value.AsSpan());
                }
            }

            return builder.Build();
        }
    }
}
