using System.Text;

namespace Granary.Aggregations;

/// <summary>
/// One non-null or null value of an aggregated column, as the state holds it: a 64-bit number
/// (integers, booleans, microseconds, or a double's bits) or bytes. Its <see cref="ValueKind"/> is
/// the column's and is not stored. Doubles are normalized (<c>-0</c> to <c>0</c>, one NaN) so that
/// equal values have equal bits.
/// </summary>
internal readonly struct AggValue : IEquatable<AggValue>
{
    private AggValue(long bits, byte[]? data)
    {
        Bits = bits;
        Data = data;
        HasValue = true;
    }

    /// <summary>The number: an integer, 0/1, microseconds, or a double's bits.</summary>
    public long Bits { get; }

    /// <summary>The bytes of a string (UTF-8) or bytes value.</summary>
    public byte[]? Data { get; }

    /// <summary>False for null (the default value).</summary>
    public bool HasValue { get; }

    /// <summary>The value as a double, for float kinds.</summary>
    public double Double => BitConverter.Int64BitsToDouble(Bits);

    /// <summary>The null value.</summary>
    public static AggValue Null => default;

    /// <summary>A number of an integer, boolean, time or null-only kind.</summary>
    public static AggValue OfLong(long value) => new(value, null);

    /// <summary>A value of a float kind, normalized.</summary>
    public static AggValue OfDouble(double value)
    {
        if (double.IsNaN(value))
        {
            value = double.NaN;
        }
        else if (value == 0)
        {
            value = 0; // -0 and 0 are one value, as in SQL
        }

        return new AggValue(BitConverter.DoubleToInt64Bits(value), null);
    }

    /// <summary>A value of a bytes kind.</summary>
    public static AggValue OfBytes(byte[] value) => new(0, value);

    /// <summary>
    /// The value of a .NET value of the column's type (as <see cref="Online.FeatureValues.Convert"/>
    /// or an Arrow column gives it); null for null.
    /// </summary>
    /// <exception cref="GranaryException">The value does not fit the kind.</exception>
    public static AggValue From(object? value, ValueKind kind)
    {
        if (value is null)
        {
            return Null;
        }

        return kind switch
        {
            ValueKind.NullOnly => OfLong(0),
            ValueKind.Int32 or ValueKind.Int64 => value switch
            {
                int i => OfLong(i),
                long l => OfLong(l),
                short s => OfLong(s),
                sbyte b => OfLong(b),
                byte b => OfLong(b),
                ushort u => OfLong(u),
                uint u => OfLong(u),
                _ => throw Wrong(value, kind),
            },
            ValueKind.Float32 or ValueKind.Float64 => value switch
            {
                double d => OfDouble(d),
                float f => OfDouble(f),
                int i => OfDouble(i),
                long l => OfDouble(l),
                _ => throw Wrong(value, kind),
            },
            ValueKind.String => value is string s ? OfBytes(Encoding.UTF8.GetBytes(s)) : throw Wrong(value, kind),
            ValueKind.Bytes => value is byte[] b ? OfBytes(b) : throw Wrong(value, kind),
            ValueKind.Bool => value is bool flag ? OfLong(flag ? 1 : 0) : throw Wrong(value, kind),
            ValueKind.Timestamp => value switch
            {
                DateTimeOffset t => OfLong(Micros.Of(t)),
                DateTime t => OfLong(Micros.Of(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)))),
                _ => throw Wrong(value, kind),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>The .NET value of the column's type: what training data holds for it.</summary>
    public object? ToClr(ValueKind kind)
    {
        if (!HasValue)
        {
            return null;
        }

        return kind switch
        {
            ValueKind.Int32 => (int)Bits,
            ValueKind.Int64 => Bits,
            ValueKind.Float32 => (float)Double,
            ValueKind.Float64 => Double,
            ValueKind.String => Encoding.UTF8.GetString(Data!),
            ValueKind.Bytes => Data!.ToArray(),
            ValueKind.Bool => Bits != 0,
            ValueKind.Timestamp => Micros.ToTime(Bits),
            _ => throw new InvalidOperationException($"a {kind} value has no .NET form"),
        };
    }

    /// <summary>
    /// Orders two non-null values of one kind: numbers by value (NaN greatest, as in DuckDB and
    /// PostgreSQL), strings and bytes by their bytes, false before true.
    /// </summary>
    public static int Compare(AggValue a, AggValue b, ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.Float32:
            case ValueKind.Float64:
                var x = a.Double;
                var y = b.Double;
                if (double.IsNaN(x) || double.IsNaN(y))
                {
                    return double.IsNaN(x) ? (double.IsNaN(y) ? 0 : 1) : -1;
                }

                return x.CompareTo(y);
            case ValueKind.String:
            case ValueKind.Bytes:
                return a.Data.AsSpan().SequenceCompareTo(b.Data);
            default:
                return a.Bits.CompareTo(b.Bits);
        }
    }

    /// <inheritdoc/>
    public bool Equals(AggValue other) =>
        HasValue == other.HasValue && Bits == other.Bits && (Data is null ? other.Data is null : other.Data is not null && Data.AsSpan().SequenceEqual(other.Data));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AggValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (Data is null)
        {
            return HashCode.Combine(HasValue, Bits);
        }

        var hash = new HashCode();
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    private static GranaryException Wrong(object value, ValueKind kind) =>
        new($"a value of type {value.GetType().Name} cannot be aggregated as {kind}");
}
