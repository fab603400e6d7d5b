using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Definitions;

namespace Granary.Transformations;

/// <summary>Gathers one output's values, chunk by chunk, into an Arrow array of the output's type.</summary>
internal sealed class ArrowOutput
{
    private static readonly TimestampType Timestamp = new(TimeUnit.Microsecond, "UTC");

    private readonly ScalarType _type;
    private readonly int _length;
    private readonly byte[] _bitmap;
    private readonly byte[]? _values;
    private readonly StringArray.Builder? _strings;
    private readonly BooleanArray.Builder? _bools;
    private int _count;
    private int _nulls;

    public ArrowOutput(ScalarType type, int length)
    {
        _type = type;
        _length = length;
        _bitmap = new byte[(length + 7) / 8];
        switch (type)
        {
            case ScalarType.String:
                _strings = new StringArray.Builder();
                break;
            case ScalarType.Bool:
                _bools = new BooleanArray.Builder().Reserve(length);
                break;
            default:
                _values = new byte[length * Buffer.ByteLength(System.Array.CreateInstance(ColumnFrame.ElementType(type), 1))];
                break;
        }
    }

    /// <summary>An all-null column of <paramref name="type"/>.</summary>
    public static IArrowArray Nulls(ScalarType type, int length)
    {
        var output = new ArrowOutput(type, length);
        output._nulls = length;
        output._count = length;
        if (type == ScalarType.String)
        {
            for (var i = 0; i < length; i++)
            {
                output._strings!.AppendNull();
            }
        }
        else if (type == ScalarType.Bool)
        {
            for (var i = 0; i < length; i++)
            {
                output._bools!.AppendNull();
            }
        }

        return output.Build();
    }

    public void Append(ColumnFrame frame, int output, int count)
    {
        var valid = frame.OutputValid[output];
        if (valid.AsSpan(0, count).IndexOf(false) < 0 && (_count & 7) == 0)
        {
            // No nulls in this chunk (the common case): set whole bytes, then the bits of a partial last byte.
            _bitmap.AsSpan(_count >> 3, count >> 3).Fill(0xFF);
            for (var i = count & ~7; i < count; i++)
            {
                _bitmap[(_count + i) >> 3] |= (byte)(1 << ((_count + i) & 7));
            }
        }
        else
        {
            // Without branches: nulls come in no predictable pattern.
            var nulls = 0;
            for (var i = 0; i < count; i++)
            {
                var isValid = valid[i] ? 1 : 0;
                _bitmap[(_count + i) >> 3] |= (byte)(isValid << ((_count + i) & 7));
                nulls += 1 - isValid;
            }

            _nulls += nulls;
        }

        var values = frame.OutputValues[output];
        switch (_type)
        {
            case ScalarType.String:
                var strings = (string?[])values;
                for (var i = 0; i < count; i++)
                {
                    if (strings[i] is { } s)
                    {
                        _strings!.Append(s);
                    }
                    else
                    {
                        _strings!.AppendNull();
                    }
                }

                break;
            case ScalarType.Bool:
                var bools = (bool[])values;
                for (var i = 0; i < count; i++)
                {
                    if (valid[i])
                    {
                        _bools!.Append(bools[i]);
                    }
                    else
                    {
                        _bools!.AppendNull();
                    }
                }

                break;
            case ScalarType.Float64:
                Copy((double[])values, count);
                break;
            case ScalarType.Float32:
                Copy((float[])values, count);
                break;
            case ScalarType.Int32:
                Copy((int[])values, count);
                break;
            default:
                Copy((long[])values, count);
                break;
        }

        _count += count;
    }

    public IArrowArray Build()
    {
        if (_strings is not null)
        {
            return _strings.Build();
        }

        if (_bools is not null)
        {
            return _bools.Build();
        }

        var values = new ArrowBuffer(_values);
        var nulls = _nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(_bitmap);
        return _type switch
        {
            ScalarType.Float64 => new DoubleArray(values, nulls, _length, _nulls, 0),
            ScalarType.Float32 => new FloatArray(values, nulls, _length, _nulls, 0),
            ScalarType.Int32 => new Int32Array(values, nulls, _length, _nulls, 0),
            ScalarType.Int64 => new Int64Array(values, nulls, _length, _nulls, 0),
            _ => new TimestampArray(Timestamp, values, nulls, _length, _nulls, 0),
        };
    }

    private void Copy<T>(T[] source, int count)
        where T : struct =>
        source.AsSpan(0, count).CopyTo(MemoryMarshal.Cast<byte, T>(_values.AsSpan())[_count..]);
}
