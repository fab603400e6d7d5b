using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Granary.Serving.V1;

namespace Granary.Server.Grpc;

/// <summary>Converts between protobuf <see cref="Value"/>s and the .NET values the core takes and returns.</summary>
internal static class ProtoValues
{
    public static object? ToClr(Value value) => value.ValCase switch
    {
        Value.ValOneofCase.None or Value.ValOneofCase.NullVal => null,
        Value.ValOneofCase.BytesVal => value.BytesVal.ToByteArray(),
        Value.ValOneofCase.StringVal => value.StringVal,
        Value.ValOneofCase.Int32Val => value.Int32Val,
        Value.ValOneofCase.Int64Val => value.Int64Val,
        Value.ValOneofCase.DoubleVal => value.DoubleVal,
        Value.ValOneofCase.FloatVal => value.FloatVal,
        Value.ValOneofCase.BoolVal => value.BoolVal,
        Value.ValOneofCase.UnixTimestampVal => value.UnixTimestampVal.ToDateTimeOffset(),
        Value.ValOneofCase.BytesListVal => value.BytesListVal.Val.Select(b => b.ToByteArray()).ToArray(),
        Value.ValOneofCase.StringListVal => value.StringListVal.Val.ToArray(),
        Value.ValOneofCase.Int32ListVal => value.Int32ListVal.Val.ToArray(),
        Value.ValOneofCase.Int64ListVal => value.Int64ListVal.Val.ToArray(),
        Value.ValOneofCase.DoubleListVal => value.DoubleListVal.Val.ToArray(),
        Value.ValOneofCase.FloatListVal => value.FloatListVal.Val.ToArray(),
        Value.ValOneofCase.BoolListVal => value.BoolListVal.Val.ToArray(),
        Value.ValOneofCase.UnixTimestampListVal => value.UnixTimestampListVal.Val.Select(t => t.ToDateTimeOffset()).ToArray(),
        _ => throw new GranaryException($"unknown value kind {value.ValCase}"),
    };

    public static Value FromClr(object? value) => value switch
    {
        null => new Value { NullVal = NullValue },
        int i => new Value { Int32Val = i },
        long l => new Value { Int64Val = l },
        float f => new Value { FloatVal = f },
        double d => new Value { DoubleVal = d },
        bool b => new Value { BoolVal = b },
        string s => new Value { StringVal = s },
        byte[] bytes => new Value { BytesVal = ByteString.CopyFrom(bytes) },
        DateTimeOffset t => new Value { UnixTimestampVal = Timestamp.FromDateTimeOffset(t) },
        int[] items => new Value { Int32ListVal = new Int32List { Val = { items } } },
        long[] items => new Value { Int64ListVal = new Int64List { Val = { items } } },
        float[] items => new Value { FloatListVal = new FloatList { Val = { items } } },
        double[] items => new Value { DoubleListVal = new DoubleList { Val = { items } } },
        bool[] items => new Value { BoolListVal = new BoolList { Val = { items } } },
        string?[] items => new Value { StringListVal = new StringList { Val = { items.Select(s => s ?? string.Empty) } } },
        byte[]?[] items => new Value { BytesListVal = new BytesList { Val = { items.Select(b => ByteString.CopyFrom(b ?? [])) } } },
        DateTimeOffset[] items => new Value { UnixTimestampListVal = new TimestampList { Val = { items.Select(Timestamp.FromDateTimeOffset) } } },
        _ => throw new InvalidOperationException($"a value of type {value.GetType().Name} has no protobuf form"),
    };

    private const Null NullValue = Null.Null;
}
