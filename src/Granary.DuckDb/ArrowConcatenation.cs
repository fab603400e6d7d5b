using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Granary.DuckDb;

/// <summary>
/// Slices of DuckDB's Arrow chunks copied into one array that owns its memory, for the types DuckDB's export gives
/// (numbers, booleans, UTF-8 strings, microsecond times): whole buffers copied span by span, where Apache.Arrow's
/// general <see cref="ArrowArrayConcatenator"/> works a value or a bit at a time and took a fifth of a skew run.
/// </summary>
internal static class ArrowConcatenation
{
    /// <summary>
    /// The parts, in order, as one array of <paramref name="type"/> and <paramref name="rows"/> rows (the sum of their
    /// lengths), its buffers fresh managed memory; null when a part's physical layout is not one copied here.
    /// </summary>
    public static IArrowArray? TryConcatenate(IReadOnlyList<IArrowArray> parts, IArrowType type, int rows)
    {
        if (!Copied(type.TypeId) || parts.Any(p => p.Data.DataType.TypeId != type.TypeId))
        {
            return null;
        }

        var (validity, nulls) = Validity(parts, rows);
        ArrowBuffer[] buffers = type.TypeId switch
        {
            ArrowTypeId.Boolean => [validity, Bits(parts, rows)],
            ArrowTypeId.String => [validity, .. Strings(parts, rows)],
            ArrowTypeId.Int32 or ArrowTypeId.Float => [validity, Values(parts, rows, sizeof(int))],
            _ => [validity, Values(parts, rows, sizeof(long))],
        };
        return ArrowArrayFactory.BuildArray(new ArrayData(type, rows, nulls, 0, buffers));
    }

    private static bool Copied(ArrowTypeId type) => type is ArrowTypeId.Int64 or ArrowTypeId.Int32 or ArrowTypeId.Double
        or ArrowTypeId.Float or ArrowTypeId.Boolean or ArrowTypeId.String or ArrowTypeId.Timestamp;

    /// <summary>The validity bitmap, or an empty buffer when no part has a null (Arrow reads that as all valid).</summary>
    private static (ArrowBuffer Validity, int Nulls) Validity(IReadOnlyList<IArrowArray> parts, int rows)
    {
        var nulls = 0;
        foreach (var part in parts)
        {
            nulls += part.NullCount;
        }

        if (nulls == 0)
        {
            return (ArrowBuffer.Empty, 0);
        }

        var bitmap = new byte[BitUtility.ByteCount(rows)];
        var at = 0;
        foreach (var part in parts)
        {
            if (part.NullCount == 0)
            {
                SetBits(bitmap, at, part.Length);
            }
            else
            {
                CopyBits(part.Data.Buffers[0].Span, part.Offset, bitmap, at, part.Length);
            }

            at += part.Length;
        }

        return (new ArrowBuffer(bitmap), nulls);
    }

    private static ArrowBuffer Values(IReadOnlyList<IArrowArray> parts, int rows, int width)
    {
        var values = GC.AllocateUninitializedArray<byte>(rows * width);
        var at = 0;
        foreach (var part in parts)
        {
            var bytes = part.Length * width;
            part.Data.Buffers[1].Span.Slice(part.Offset * width, bytes).CopyTo(values.AsSpan(at, bytes));
            at += bytes;
        }

        return new ArrowBuffer(values);
    }

    /// <summary>Booleans are bit-packed like validity, and copied the same way (values under nulls included).</summary>
    private static ArrowBuffer Bits(IReadOnlyList<IArrowArray> parts, int rows)
    {
        var values = new byte[BitUtility.ByteCount(rows)];
        var at = 0;
        foreach (var part in parts)
        {
            CopyBits(part.Data.Buffers[1].Span, part.Offset, values, at, part.Length);
            at += part.Length;
        }

        return new ArrowBuffer(values);
    }

    /// <summary>Offsets rebased onto one data buffer, and the bytes each part's rows span copied into it.</summary>
    private static ArrowBuffer[] Strings(IReadOnlyList<IArrowArray> parts, int rows)
    {
        var size = 0;
        foreach (var part in parts)
        {
            var offsets = Offsets(part);
            size = checked(size + offsets[^1] - offsets[0]);
        }

        var outOffsets = new int[rows + 1];
        var data = GC.AllocateUninitializedArray<byte>(size);
        var row = 0;
        var end = 0;
        foreach (var part in parts)
        {
            var offsets = Offsets(part);
            var shift = end - offsets[0];
            var target = outOffsets.AsSpan(row + 1, part.Length);
            for (var i = 0; i < target.Length; i++)
            {
                target[i] = offsets[i + 1] + shift;
            }

            var bytes = offsets[^1] - offsets[0];
            part.Data.Buffers[2].Span.Slice(offsets[0], bytes).CopyTo(data.AsSpan(end, bytes));
            row += part.Length;
            end += bytes;
        }

        var offsetBytes = new byte[outOffsets.Length * sizeof(int)];
        Buffer.BlockCopy(outOffsets, 0, offsetBytes, 0, offsetBytes.Length);
        return [new ArrowBuffer(offsetBytes), new ArrowBuffer(data)];
    }

    /// <summary>A part's own Length + 1 offsets into its data buffer.</summary>
    private static ReadOnlySpan<int> Offsets(IArrowArray part) =>
        MemoryMarshal.Cast<byte, int>(part.Data.Buffers[1].Span).Slice(part.Offset, part.Length + 1);

    /// <summary>Sets <paramref name="count"/> bits from bit <paramref name="at"/>: whole bytes at once, the ragged ends bit by bit.</summary>
    private static void SetBits(Span<byte> bitmap, int at, int count)
    {
        for (; count > 0 && (at & 7) != 0; at++, count--)
        {
            BitUtility.SetBit(bitmap, at);
        }

        bitmap.Slice(at >> 3, count >> 3).Fill(0xFF);
        at += count & ~7;
        for (count &= 7; count > 0; at++, count--)
        {
            BitUtility.SetBit(bitmap, at);
        }
    }

    /// <summary>
    /// Copies <paramref name="count"/> bits (least significant first) from bit <paramref name="from"/> of
    /// <paramref name="source"/> to bit <paramref name="at"/> of <paramref name="target"/>, whose bits there are still
    /// clear: bit by bit up to a byte boundary of the target, then a byte at a time (shifted when the source is not on
    /// a boundary too), then the last few bits.
    /// </summary>
    private static void CopyBits(ReadOnlySpan<byte> source, int from, Span<byte> target, int at, int count)
    {
        for (; count > 0 && (at & 7) != 0; from++, at++, count--)
        {
            CopyBit(source, from, target, at);
        }

        var bytes = count >> 3;
        var shift = from & 7;
        var s = source.Slice(from >> 3);
        var t = target.Slice(at >> 3, bytes);
        if (shift == 0)
        {
            s[..bytes].CopyTo(t);
        }
        else
        {
            // Each target byte takes the top bits of one source byte and the bottom bits of the next, which holds
            // bits still to copy, so it is inside the source.
            for (var i = 0; i < bytes; i++)
            {
                t[i] = (byte)((s[i] >> shift) | (s[i + 1] << (8 - shift)));
            }
        }

        from += bytes << 3;
        at += bytes << 3;
        for (count &= 7; count > 0; from++, at++, count--)
        {
            CopyBit(source, from, target, at);
        }
    }

    private static void CopyBit(ReadOnlySpan<byte> source, int from, Span<byte> target, int at)
    {
        if (BitUtility.GetBit(source, from))
        {
            BitUtility.SetBit(target, at);
        }
    }
}
