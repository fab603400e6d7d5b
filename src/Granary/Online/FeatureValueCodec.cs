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
            throw FeatureValues.WrongType(field, value);
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
                BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), FeatureValues.ToInt32(field, value));
                writer.Advance(4);
                break;
            case ScalarType.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), FeatureValues.ToInt64(field, value));
                writer.Advance(8);
                break;
            case ScalarType.Float32:
                BinaryPrimitives.WriteSingleLittleEndian(writer.GetSpan(4), FeatureValues.ToSingle(field, value));
                writer.Advance(4);
                break;
            case ScalarType.Float64:
                BinaryPrimitives.WriteDoubleLittleEndian(writer.GetSpan(8), FeatureValues.ToDouble(field, value));
                writer.Advance(8);
                break;
            case ScalarType.Bool:
                WriteByte(writer, value is bool b ? (b ? (byte)1 : (byte)0) : throw FeatureValues.WrongType(field, value));
                break;
            case ScalarType.UnixTimestamp:
                BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), ToUnixMicroseconds(FeatureValues.ToTimestamp(field, value)));
                writer.Advance(8);
                break;
            case ScalarType.String:
                writer.Write(Encoding.UTF8.GetBytes(value as string ?? throw FeatureValues.WrongType(field, value)));
                break;
            case ScalarType.Bytes:
                writer.Write(FeatureValues.ToBytes(field, value).Span);
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
            ? Encoding.UTF8.GetBytes(item as string ?? throw FeatureValues.WrongType(field, item))
            : FeatureValues.ToBytes(field, item);
        WriteVarint(writer, (ulong)bytes.Length + 1);
        writer.Write(bytes.Span);
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
