using System.Buffers.Binary;

namespace Granary.Aggregations;

/// <summary>
/// The bytes of an <see cref="AggregationState"/>, the only thing an online store keeps of it.
/// </summary>
/// <remarks>
/// <para>
/// A format byte (1), the layout's fingerprint (8 bytes, little-endian), <c>RawFrom</c>, then per
/// level the tiles, then the raw events. Integers are varints (signed ones zigzag-encoded), times
/// are deltas: a tile by its index from the previous tile's, a value's event time from its tile's
/// start, a raw event's time from the previous event's. Doubles are 8 bytes, floats 4.
/// </para>
/// <para>
/// A tile is its event count, then per summary of its level the non-null count and, when there is
/// a value, exactly what the level's <see cref="SummaryNeeds"/> ask for, in their declared order.
/// Bytes written under another fingerprint or format decode as no state, so a changed view never
/// reads old bytes as its own.
/// </para>
/// </remarks>
internal static class AggregationStateCodec
{
    private const byte Format = 1;

    /// <summary>Encodes <paramref name="state"/>.</summary>
    public static byte[] Encode(AggregationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var layout = state.Layout;
        var writer = new ByteWriter(64 + (state.Raw.Count * 16) + (state.Tiles.Sum(t => t.Count) * 24));
        writer.Byte(Format);
        writer.UInt64(layout.Fingerprint);
        writer.Signed(state.RawFrom);
        for (var level = 0; level < state.Tiles.Length; level++)
        {
            var size = layout.Levels[level].Size;
            var needs = layout.Levels[level].Needs;
            var tiles = state.Tiles[level];
            writer.Unsigned((ulong)tiles.Count);
            long previous = 0;
            foreach (var tile in tiles)
            {
                var index = tile.Start / size;
                writer.Signed(index - previous);
                previous = index;
                writer.Unsigned((ulong)tile.Events);
                for (var s = 0; s < needs.Count; s++)
                {
                    WriteSummary(ref writer, tile.Columns[s], needs[s], layout.Columns[needs[s].Column].Kind, tile.Start);
                }
            }
        }

        writer.Unsigned((ulong)state.Raw.Count);
        long previousTime = 0;
        foreach (var e in state.Raw)
        {
            writer.Signed(e.Time - previousTime);
            previousTime = e.Time;
            WriteCreated(ref writer, e.Created, e.Time);
            for (var c = 0; c < layout.Columns.Count; c++)
            {
                WriteValue(ref writer, e.Values[c], layout.Columns[c].Kind);
            }
        }

        return writer.ToArray();
    }

    /// <summary>Decodes bytes written by <see cref="Encode"/> for <paramref name="layout"/>; null when they were written for another layout.</summary>
    /// <exception cref="GranaryException">The bytes are cut short or malformed.</exception>
    public static AggregationState? Decode(AggregationLayout layout, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (bytes.Length < 9 || bytes[0] != Format || BinaryPrimitives.ReadUInt64LittleEndian(bytes[1..]) != layout.Fingerprint)
        {
            return null;
        }

        var reader = new ByteReader(bytes[9..]);
        try
        {
            var state = new AggregationState(layout) { RawFrom = reader.Signed() };
            for (var level = 0; level < state.Tiles.Length; level++)
            {
                var size = layout.Levels[level].Size;
                var needs = layout.Levels[level].Needs;
                var count = reader.Count();
                var tiles = state.Tiles[level];
                tiles.Capacity = count;
                long index = 0;
                for (var t = 0; t < count; t++)
                {
                    index += reader.Signed();
                    var tile = new AggregationTile(index * size, needs.Count) { Events = (long)reader.Unsigned() };
                    for (var s = 0; s < needs.Count; s++)
                    {
                        ReadSummary(ref reader, tile.Columns[s], needs[s], layout.Columns[needs[s].Column].Kind, tile.Start);
                    }

                    tiles.Add(tile);
                }
            }

            var rawCount = reader.Count();
            state.Raw.Capacity = rawCount;
            long time = 0;
            for (var r = 0; r < rawCount; r++)
            {
                time += reader.Signed();
                var created = ReadCreated(ref reader, time);
                var values = new AggValue[layout.Columns.Count];
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = ReadValue(ref reader, layout.Columns[c].Kind);
                }

                state.Raw.Add(new AggregationEvent(time, created, values));
            }

            return state;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new GranaryException($"the stored state of aggregation view '{layout.View.Name}' is malformed ({e.Message}); materialize the view again", e);
        }
    }

    private static void WriteSummary(ref ByteWriter writer, ColumnSummary summary, SummaryNeeds needs, ValueKind kind, long tileStart)
    {
        writer.Unsigned((ulong)summary.NonNull);
        if (summary.NonNull == 0)
        {
            return;
        }

        if (needs.Sum)
        {
            if (kind.IsFloat())
            {
                writer.Double(summary.StoredSum);
            }
            else
            {
                writer.Signed(summary.SumLong);
            }
        }

        if (needs.Moments)
        {
            writer.Double(summary.Mean);
            writer.Double(summary.M2);
        }

        if (needs.Min)
        {
            WriteValue(ref writer, summary.Min, kind);
        }

        if (needs.Max)
        {
            WriteValue(ref writer, summary.Max, kind);
        }

        if (needs.First)
        {
            WriteStamped(ref writer, summary.First, kind, tileStart);
        }

        if (needs.Last)
        {
            WriteStamped(ref writer, summary.Last, kind, tileStart);
        }

        if (needs.LatestK > 0)
        {
            var latest = summary.Latest ?? [];
            writer.Unsigned((ulong)latest.Count);
            foreach (var stamped in latest)
            {
                WriteStamped(ref writer, stamped, kind, tileStart);
            }
        }

        if (needs.Distinct)
        {
            var distinct = summary.Distinct ?? [];
            writer.Unsigned((ulong)distinct.Count);
            foreach (var value in distinct)
            {
                WriteValue(ref writer, value, kind);
            }
        }
    }

    private static void ReadSummary(ref ByteReader reader, ColumnSummary summary, SummaryNeeds needs, ValueKind kind, long tileStart)
    {
        summary.NonNull = (long)reader.Unsigned();
        if (summary.NonNull == 0)
        {
            return;
        }

        if (needs.Sum)
        {
            if (kind.IsFloat())
            {
                summary.SumDouble = reader.Double();
            }
            else
            {
                summary.SumLong = reader.Signed();
            }
        }

        if (needs.Moments)
        {
            summary.Mean = reader.Double();
            summary.M2 = reader.Double();
        }

        if (needs.Min)
        {
            summary.Min = ReadValue(ref reader, kind);
        }

        if (needs.Max)
        {
            summary.Max = ReadValue(ref reader, kind);
        }

        if (needs.First)
        {
            summary.First = ReadStamped(ref reader, kind, tileStart);
        }

        if (needs.Last)
        {
            summary.Last = ReadStamped(ref reader, kind, tileStart);
        }

        if (needs.LatestK > 0)
        {
            var count = reader.Count();
            summary.Latest = new List<Stamped>(count);
            for (var i = 0; i < count; i++)
            {
                summary.Latest.Add(ReadStamped(ref reader, kind, tileStart));
            }
        }

        if (needs.Distinct)
        {
            var count = reader.Count();
            summary.Distinct = new HashSet<AggValue>(count);
            for (var i = 0; i < count; i++)
            {
                summary.Distinct.Add(ReadValue(ref reader, kind));
            }
        }
    }

    private static void WriteStamped(ref ByteWriter writer, in Stamped stamped, ValueKind kind, long tileStart)
    {
        writer.Signed(stamped.Time - tileStart);
        WriteCreated(ref writer, stamped.Created, stamped.Time);
        WriteValue(ref writer, stamped.Value, kind);
    }

    private static Stamped ReadStamped(ref ByteReader reader, ValueKind kind, long tileStart)
    {
        var time = tileStart + reader.Signed();
        var created = ReadCreated(ref reader, time);
        return new Stamped(time, created, ReadValue(ref reader, kind));
    }

    /// <summary>0 for no created time, else the zigzag of its distance from the event time, plus one.</summary>
    private static void WriteCreated(ref ByteWriter writer, long created, long time) =>
        writer.Unsigned(created == long.MinValue ? 0 : ZigZag(created - time) + 1);

    private static long ReadCreated(ref ByteReader reader, long time)
    {
        var code = reader.Unsigned();
        return code == 0 ? long.MinValue : time + UnZigZag(code - 1);
    }

    private static void WriteValue(ref ByteWriter writer, in AggValue value, ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.String or ValueKind.Bytes:
                if (!value.HasValue)
                {
                    writer.Unsigned(0);
                    return;
                }

                writer.Unsigned((ulong)value.Data!.Length + 1);
                writer.Bytes(value.Data);
                return;
            case ValueKind.Bool:
                writer.Byte(value.HasValue ? (byte)(value.Bits != 0 ? 2 : 1) : (byte)0);
                return;
        }

        writer.Byte(value.HasValue ? (byte)1 : (byte)0);
        if (!value.HasValue)
        {
            return;
        }

        switch (kind)
        {
            case ValueKind.Float32:
                writer.Single((float)value.Double);
                break;
            case ValueKind.Float64:
                writer.Double(value.Double);
                break;
            case ValueKind.NullOnly:
                break;
            default:
                writer.Signed(value.Bits);
                break;
        }
    }

    private static AggValue ReadValue(ref ByteReader reader, ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.String or ValueKind.Bytes:
                var length = reader.Unsigned();
                return length == 0 ? AggValue.Null : AggValue.OfBytes(reader.Bytes(checked((int)(length - 1))));
            case ValueKind.Bool:
                var flag = reader.Byte();
                return flag == 0 ? AggValue.Null : AggValue.OfLong(flag - 1);
        }

        if (reader.Byte() == 0)
        {
            return AggValue.Null;
        }

        return kind switch
        {
            ValueKind.Float32 => AggValue.OfDouble(reader.Single()),
            ValueKind.Float64 => AggValue.OfDouble(reader.Double()),
            ValueKind.NullOnly => AggValue.OfLong(0),
            _ => AggValue.OfLong(reader.Signed()),
        };
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>A growing byte buffer with the few writes the format needs.</summary>
    private struct ByteWriter(int capacity)
    {
        private byte[] _buffer = new byte[Math.Max(capacity, 16)];
        private int _length;

        public void Byte(byte value)
        {
            Ensure(1);
            _buffer[_length++] = value;
        }

        public void Unsigned(ulong value)
        {
            Ensure(10);
            while (value >= 0x80)
            {
                _buffer[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _buffer[_length++] = (byte)value;
        }

        public void Signed(long value) => Unsigned(ZigZag(value));

        public void UInt64(ulong value)
        {
            Ensure(8);
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
            _length += 8;
        }

        public void Double(double value)
        {
            Ensure(8);
            BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
            _length += 8;
        }

        public void Single(float value)
        {
            Ensure(4);
            BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), value);
            _length += 4;
        }

        public void Bytes(byte[] value)
        {
            Ensure(value.Length);
            value.CopyTo(_buffer, _length);
            _length += value.Length;
        }

        public readonly byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        private void Ensure(int more)
        {
            if (_length + more > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
            }
        }
    }

    /// <summary>Reads what <see cref="ByteWriter"/> wrote; running past the end throws.</summary>
    private ref struct ByteReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public byte Byte() => _bytes[_position++];

        public ulong Unsigned()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 63)
                {
                    throw new OverflowException("a varint is longer than 10 bytes");
                }

                var b = _bytes[_position++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public long Signed() => UnZigZag(Unsigned());

        /// <summary>A count, which can never exceed the bytes left.</summary>
        public int Count()
        {
            var count = Unsigned();
            return count <= (ulong)(_bytes.Length - _position) ? (int)count : throw new OverflowException($"a count of {count} exceeds the bytes left");
        }

        public double Double()
        {
            var value = BinaryPrimitives.ReadDoubleLittleEndian(_bytes.Slice(_position, 8));
            _position += 8;
            return value;
        }

        public float Single()
        {
            var value = BinaryPrimitives.ReadSingleLittleEndian(_bytes.Slice(_position, 4));
            _position += 4;
            return value;
        }

        public byte[] Bytes(int length)
        {
            var value = _bytes.Slice(_position, length).ToArray();
            _position += length;
            return value;
        }
    }
}
