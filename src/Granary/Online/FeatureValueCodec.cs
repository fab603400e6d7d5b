using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Text;
using Granary.Definitions;

namespace Granary.Online;

/// <summary>
/// The binary form of one feature value in an online store, shared by every store so that a value
/// written by one reads the same from another and a store only moves bytes.
/// </summary>
/// <remarks>
/// <para>
/// A null value is zero bytes. Any other value is a format byte (<c>1</c>) then the payload, so
/// that an empty string or empty list is not confused with null. The declared type is not stored:
/// the reader knows it from the view's schema.
/// </para>
/// <para>
/// Payloads are little-endian: <c>int32</c> and <c>float32</c> take 4 bytes, <c>int64</c>,
/// <c>float64</c> and <c>unix_timestamp</c> (microseconds since the Unix epoch, UTC) 8, <c>bool</c>
/// 1; <c>string</c> is UTF-8 and <c>bytes</c> raw, both to the end of the value. A list is its
/// element count as a varint, then the elements: fixed-size ones back to back, strings and bytes
/// each behind a varint of length + 1, where 0 marks a null element.
/// </para>
/// <para>
/// Timestamps keep microseconds: the 100 ns ticks of a <see cref="DateTimeOffset"/> below that
/// are dropped, as in Arrow and Parquet timestamps.
/// </para>
/// </remarks>
public static partial class FeatureValueCodec
{
    /// <summary>The first byte of every non-null value; another value would be a newer format.</summary>
    private const byte FormatV1 = 1;

    /// <summary>Encodes <paramref name="value"/>, declared as <paramref name="field"/>, to a new array.</summary>
    /// <exception cref="GranaryException">The value's type does not fit the field's dtype.</exception>
    public static byte[] Encode(Field field, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(16);
        Encode(buffer, field, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Appends the encoded <paramref name="value"/> to <paramref name="writer"/>, converting a
    /// numeric value of another CLR width to the declared type when no information is lost.
    /// </summary>
    /// <exception cref="GranaryException">The value's type does not fit the field's dtype.</exception>
    public static void Encode(IBufferWriter<byte> writer, Field field, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(field);
        if (value is null)
        {
            return;
        }

        WriteByte(writer, FormatV1);
        var type = field.Dtype;
        if (!type.IsList)
        {
            WriteScalar(writer, field, type.Scalar, value);
            return;
        }

        if (value is string or byte[] || value is not IEnumerable items)
        {
            throw WrongType(field, value);
        }

        var count = items is ICollection collection ? collection.Count : items.Cast<object?>().Count();
        WriteVarint(writer, (ulong)count);
        foreach (var item in items)
        {
            if (type.Scalar is ScalarType.String or ScalarType.Bytes)
            {
                WriteSized(writer, field, type.Scalar, item);
            }
            else
            {
                WriteScalar(writer, field, type.Scalar, item ?? throw new GranaryException(
                    $"feature '{field.Name}' ({type}) has a null list element; only string and bytes lists may hold nulls"));
            }
        }
    }

    /// <summary>Microseconds since the Unix epoch, the unit timestamps are stored in.</summary>
    public static long ToUnixMicroseconds(DateTimeOffset timestamp) =>
        (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>The UTC instant <paramref name="microseconds"/> after the Unix epoch.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    private static void WriteScalar(IBufferWriter<byte> writer, Field field, ScalarType scalar, object value)
    {
        switch (scalar)
        {
            case ScalarType.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), ToInt32(field, value));
                writer.Advance(4);
                break;
            case ScalarType.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), ToInt64(field, value));
                writer.Advance(8);
                break;
            case ScalarType.Float32:
                BinaryPrimitives.WriteSingleLittleEndian(writer.GetSpan(4), ToSingle(field, value));
                writer.Advance(4);
                break;
            case ScalarType.Float64:
                BinaryPrimitives.WriteDoubleLittleEndian(writer.GetSpan(8), ToDouble(field, value));
                writer.Advance(8);
                break;
            case ScalarType.Bool:
                WriteByte(writer, value is bool b ? (b ? (byte)1 : (byte)0) : throw WrongType(field, value));
                break;
            case ScalarType.UnixTimestamp:
                BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), ToUnixMicroseconds(ToTimestamp(field, value)));
                writer.Advance(8);
                break;
            case ScalarType.String:
                writer.Write(Encoding.UTF8.GetBytes(value as string ?? throw WrongType(field, value)));
                break;
            case ScalarType.Bytes:
                writer.Write(ToBytes(field, value).Span);
                break;
            default:
                throw new InvalidOperationException($"unknown scalar {scalar}");
        }
    }

    private static void WriteSized(IBufferWriter<byte> writer, Field field, ScalarType scalar, object? item)
    {
        if (item is null)
        {
            WriteVarint(writer, 0);
            return;
        }

        var bytes = scalar == ScalarType.String
            ? Encoding.UTF8.GetBytes(item as string ?? throw WrongType(field, item))
            : ToBytes(field, item);
        WriteVarint(writer, (ulong)bytes.Length + 1);
        writer.Write(bytes.Span);
    }

    private static int ToInt32(Field field, object value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint u when u <= int.MaxValue => (int)u,
        ulong ul when ul <= int.MaxValue => (int)ul,
        long or uint or ulong => throw new GranaryException(
            $"feature '{field.Name}' expects int32; the value {value} is out of its range"),
        _ => throw WrongType(field, value),
    };

    private static long ToInt64(Field field, object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint u => u,
        ulong ul when ul <= long.MaxValue => (long)ul,
        ulong => throw new GranaryException($"feature '{field.Name}' expects int64; the value {value} is out of its range"),
        _ => throw WrongType(field, value),
    };

    private static float ToSingle(Field field, object value) => value switch
    {
        float f => f,
        double d => (float)d,
        decimal m => (float)m,
        int or long or short or byte or sbyte or ushort or uint or ulong => (float)ToDouble(field, value),
        _ => throw WrongType(field, value),
    };

    private static double ToDouble(Field field, object value) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint u => u,
        ulong ul => ul,
        _ => throw WrongType(field, value),
    };

    private static DateTimeOffset ToTimestamp(Field field, object value) => value switch
    {
        DateTimeOffset t => t,
        DateTime { Kind: DateTimeKind.Local } d => new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero),

        // An unspecified DateTime is taken as UTC, the way every Granary timestamp is.
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc), TimeSpan.Zero),
        _ => throw WrongType(field, value),
    };

    private static ReadOnlyMemory<byte> ToBytes(Field field, object value) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m,
        Memory<byte> m => m,
        ArraySegment<byte> s => s,
        _ => throw WrongType(field, value),
    };

    private static GranaryException WrongType(Field field, object value) => new(
        $"feature '{field.Name}' expects {field.Dtype} ({ExpectedClrType(field.Dtype)}); got a value of type {value.GetType().Name}");

    private static string ExpectedClrType(DataType type)
    {
        var scalar = type.Scalar switch
        {
            ScalarType.Int32 => "int",
            ScalarType.Int64 => "long",
            ScalarType.Float32 => "float",
            ScalarType.Float64 => "double",
            ScalarType.String => "string",
            ScalarType.Bytes => "byte[]",
            ScalarType.Bool => "bool",
            ScalarType.UnixTimestamp => "DateTimeOffset",
            _ => type.Scalar.ToString(),
        };
        return type.IsList ? scalar + "[]" : scalar;
    }

    private static void WriteByte(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    /// <summary>Appends an unsigned LEB128 varint (7 bits a byte, low bits first).</summary>
    private static void WriteVarint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        writer.Advance(i);
    }
}
