using System.Buffers;
using Granary.Definitions;

namespace Granary.Online;

public static partial class FeatureValueCodec
{
    /// <summary>
    /// Appends all of a row's values, for stores that keep a view's features in one blob: each value
    /// of <paramref name="schema"/>, in schema order, behind its length as a varint (0 for null).
    /// </summary>
    /// <param name="writer">Where the row goes.</param>
    /// <param name="schema">The view's features.</param>
    /// <param name="values">One value per feature, aligned with <paramref name="schema"/>.</param>
    /// <param name="scratch">A reusable buffer for one value; cleared here.</param>
    /// <exception cref="GranaryException">A value does not fit its feature, or the counts differ.</exception>
    public static void EncodeRow(
        IBufferWriter<byte> writer, IReadOnlyList<Field> schema, IReadOnlyList<object?> values, ArrayBufferWriter<byte> scratch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(scratch);
        if (values.Count != schema.Count)
        {
            throw new GranaryException($"a row has {values.Count} values for {schema.Count} features");
        }

        for (var i = 0; i < schema.Count; i++)
        {
            scratch.ResetWrittenCount();
            Encode(scratch, schema[i], values[i]);
            WriteVarint(writer, (ulong)scratch.WrittenCount);
            writer.Write(scratch.WrittenSpan);
        }
    }

    /// <summary>
    /// Locates the values of a row written by <see cref="EncodeRow"/> without decoding them: fills
    /// <paramref name="values"/> with one range per feature, so that a reader decodes only the
    /// features it wants.
    /// </summary>
    /// <exception cref="GranaryException">The row does not hold <paramref name="values"/>.Length values.</exception>
    public static void SplitRow(ReadOnlySpan<byte> row, Span<Range> values)
    {
        var rest = row;
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                var length = checked((int)ReadVarint(ref rest));
                var start = row.Length - rest.Length;
                rest = rest[length..];
                values[i] = new Range(start, start + length);
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new GranaryException($"a stored row of {row.Length} bytes does not hold {values.Length} values; was the view's schema changed without re-materializing?");
        }
    }
}
