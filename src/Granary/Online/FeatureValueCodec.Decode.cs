using System.Buffers.Binary;
using System.Text;
using Granary.Definitions;

namespace Granary.Online;

public static partial class FeatureValueCodec
{
    /// <summary>
    /// Decodes a value written by <see cref="Encode(Field, object?)"/> for a field of type
    /// <paramref name="type"/>: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>,
    /// <see cref="double"/>, <see cref="string"/>, <see cref="byte"/>[], <see cref="bool"/> or a UTC
    /// <see cref="DateTimeOffset"/>, an array of that type for a list, or null.
    /// </summary>
    /// <exception cref="GranaryException">The bytes are not a value of that type.</exception>
    public static object? Decode(DataType type, ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            return null;
        }

        if (encoded[0] != FormatV1)
        {
            throw Malformed(type, encoded.Length);
        }

        var payload = encoded[1..];
        try
        {
            return type.IsList ? DecodeList(type, payload) : DecodeScalar(type, payload);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw Malformed(type, encoded.Length);
        }
    }

    private static object DecodeScalar(DataType type, ReadOnlySpan<byte> payload)
    {
        var size = FixedSize(type.Scalar);
        if (size > 0 && payload.Length != size)
        {
            throw Malformed(type, payload.Length + 1);
        }

        return type.Scalar switch
        {
            ScalarType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(payload),
            ScalarType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(payload),
            ScalarType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(payload),
            ScalarType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(payload),
            ScalarType.Bool => payload[0] != 0,
            ScalarType.UnixTimestamp => FromUnixMicroseconds(BinaryPrimitives.ReadInt64LittleEndian(payload)),
            ScalarType.String => Encoding.UTF8.GetString(payload),
            ScalarType.Bytes => payload.ToArray(),
            _ => throw new InvalidOperationException($"unknown scalar {type.Scalar}"),
        };
    }

    private static Array DecodeList(DataType type, ReadOnlySpan<byte> payload)
    {
        var count = checked((int)ReadVarint(ref payload));
        var size = FixedSize(type.Scalar);
        if (size > 0 && payload.Length != (long)count * size)
        {
            throw Malformed(type, payload.Length + 1);
        }

        switch (type.Scalar)
        {
            case ScalarType.Int32:
                return Fill(new int[count], payload, size, static s => BinaryPrimitives.ReadInt32LittleEndian(s));
            case ScalarType.Int64:
                return Fill(new long[count], payload, size, static s => BinaryPrimitives.ReadInt64LittleEndian(s));
            case ScalarType.Float32:
                return Fill(new float[count], payload, size, static s => BinaryPrimitives.ReadSingleLittleEndian(s));
            case ScalarType.Float64:
                return Fill(new double[count], payload, size, static s => BinaryPrimitives.ReadDoubleLittleEndian(s));
            case ScalarType.Bool:
                return Fill(new bool[count], payload, size, static s => s[0] != 0);
            case ScalarType.UnixTimestamp:
                return Fill(new DateTimeOffset[count], payload, size, static s => FromUnixMicroseconds(BinaryPrimitives.ReadInt64LittleEndian(s)));
            case ScalarType.String:
                var strings = new string?[count];
                for (var i = 0; i < count; i++)
                {
                    strings[i] = TryReadSized(ref payload, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
                }

                return payload.IsEmpty ? strings : throw Malformed(type, payload.Length);
            case ScalarType.Bytes:
                var arrays = new byte[]?[count];
                for (var i = 0; i < count; i++)
                {
                    arrays[i] = TryReadSized(ref payload, out var bytes) ? bytes.ToArray() : null;
                }

                return payload.IsEmpty ? arrays : throw Malformed(type, payload.Length);
            default:
                throw new InvalidOperationException($"unknown scalar {type.Scalar}");
        }
    }

    private delegate T ElementReader<out T>(ReadOnlySpan<byte> bytes);

    private static T[] Fill<T>(T[] target, ReadOnlySpan<byte> payload, int size, ElementReader<T> read)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = read(payload.Slice(i * size, size));
        }

        return target;
    }

    /// <summary>Reads a length-prefixed element; false for a null one (a 0 prefix).</summary>
    private static bool TryReadSized(ref ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> bytes)
    {
        var prefix = ReadVarint(ref payload);
        if (prefix == 0)
        {
            bytes = default;
            return false;
        }

        var length = checked((int)(prefix - 1));
        bytes = payload[..length];
        payload = payload[length..];
        return true;
    }

    private static int FixedSize(ScalarType scalar) => scalar switch
    {
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.UnixTimestamp => 8,
        ScalarType.Bool => 1,
        _ => 0,
    };

    /// <summary>Reads an unsigned LEB128 varint and moves <paramref name="span"/> past it.</summary>
    private static ulong ReadVarint(ref ReadOnlySpan<byte> span)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = span[0];
            span = span[1..];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(span), "varint longer than 10 bytes");
    }

    private static GranaryException Malformed(DataType type, int length) =>
        new($"a stored value of type {type} is malformed ({length} bytes); was the view's schema changed without re-materializing?");
}
