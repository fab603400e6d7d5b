using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.Transformations;

/// <summary>Copies a slice of an Arrow column into a frame's input arrays.</summary>
internal static class ArrowInput
{
    public static void Load(ColumnFrame frame, int slot, IArrowArray array, int start, int count, string name)
    {
        var type = frame.InputTypes[slot];
        if (array.NullCount > 0 && type != ScalarType.String && array is not NullArray)
        {
            LoadValidity(array, start, count, frame.ValidStorage(slot));
        }

        switch (type, array)
        {
            case (ScalarType.Float64, DoubleArray a):
                a.Values.Slice(start, count).CopyTo((double[])frame.Values[slot]);
                break;
            case (ScalarType.Float32, FloatArray a):
                a.Values.Slice(start, count).CopyTo((float[])frame.Values[slot]);
                break;
            case (ScalarType.Int64, Int64Array a):
                a.Values.Slice(start, count).CopyTo((long[])frame.Values[slot]);
                break;
            case (ScalarType.Int32, Int32Array a):
                a.Values.Slice(start, count).CopyTo((int[])frame.Values[slot]);
                break;
            case (ScalarType.UnixTimestamp, TimestampArray a):
                LoadTimestamps(a, (long[])frame.Values[slot], start, count);
                break;
            case (ScalarType.String, StringArray a):
                var strings = (string?[])frame.Values[slot];
                for (var i = 0; i < count; i++)
                {
                    strings[i] = a.IsNull(start + i) ? null : a.GetString(start + i);
                }

                break;
            case (ScalarType.Bool, BooleanArray a):
                var bools = (bool[])frame.Values[slot];
                for (var i = 0; i < count; i++)
                {
                    bools[i] = a.GetValue(start + i).GetValueOrDefault();
                }

                break;
            case (_, NullArray):
                frame.ValidStorage(slot).AsSpan(0, count).Clear();
                if (type == ScalarType.String)
                {
                    ((string?[])frame.Values[slot]).AsSpan(0, count).Clear();
                }

                break;
            default:
                LoadSlowly(frame, slot, array, start, count, name);
                break;
        }
    }

    /// <summary>Expands the Arrow validity bitmap (one bit per row, least significant first) into one bool per row.</summary>
    private static void LoadValidity(IArrowArray array, int start, int count, bool[] valid)
    {
        var bitmap = array.Data.Buffers[0].Span;
        var offset = array.Data.Offset + start;
        if (bitmap.IsEmpty)
        {
            valid.AsSpan(0, count).Fill(true);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            var bit = offset + i;
            valid[i] = (bitmap[bit >> 3] & (1 << (bit & 7))) != 0;
        }
    }

    private static void LoadTimestamps(TimestampArray array, long[] target, int start, int count)
    {
        var values = array.Values.Slice(start, count);
        var unit = ((TimestampType)array.Data.DataType).Unit;
        for (var i = 0; i < count; i++)
        {
            target[i] = Aggregations.Micros.OfArrow(values[i], unit);
        }
    }

    /// <summary>Any other Arrow type: value by value through the same conversions as an online row.</summary>
    private static void LoadSlowly(ColumnFrame frame, int slot, IArrowArray array, int start, int count, string name)
    {
        for (var i = 0; i < count; i++)
        {
            object? value;
            try
            {
                value = ArrowBatches.GetValue(array, start + i);
            }
            catch (NotSupportedException e)
            {
                throw new TransformationException($"column for input '{name}' has Arrow type {array.Data.DataType.Name}, which does not fit {new DataType(frame.InputTypes[slot])}", e);
            }

            frame.SetInput(slot, i, value, name);
        }
    }
}
