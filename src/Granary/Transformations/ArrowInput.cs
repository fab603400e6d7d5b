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
        if (array.NullCount > 0 && type != ScalarType.String)
        {
            var valid = frame.ValidStorage(slot);
            for (var i = 0; i < count; i++)
            {
                valid[i] = array.IsValid(start + i);
            }
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

    private static void LoadTimestamps(TimestampArray array, long[] target, int start, int count)
    {
        var values = array.Values.Slice(start, count);
        var unit = ((TimestampType)array.Data.DataType).Unit;
        for (var i = 0; i < count; i++)
        {
            target[i] = unit switch
            {
                TimeUnit.Second => values[i] * ExpressionRuntime.MicrosPerSecond,
                TimeUnit.Millisecond => values[i] * 1_000,
                TimeUnit.Microsecond => values[i],
                _ => ExpressionRuntime.FloorDiv(values[i], 1_000),
            };
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
