using Granary.Definitions;

namespace Granary.Aggregations;

/// <summary>
/// How the state holds and orders the values of one aggregated column: integers and times as a
/// 64-bit number, floats as a double, strings and bytes as bytes (strings in UTF-8), so that every
/// comparison is the spec's (numbers by value, strings by their UTF-8 bytes).
/// </summary>
internal enum ValueKind : byte
{
    /// <summary>A column only counted: the state keeps whether each value is null, nothing else.</summary>
    NullOnly,

    /// <summary><c>int32</c>.</summary>
    Int32,

    /// <summary><c>int64</c>.</summary>
    Int64,

    /// <summary><c>float32</c>, held as a double (every float converts exactly).</summary>
    Float32,

    /// <summary><c>float64</c>.</summary>
    Float64,

    /// <summary><c>string</c>, held as UTF-8.</summary>
    String,

    /// <summary><c>bytes</c>.</summary>
    Bytes,

    /// <summary><c>bool</c>: 0 or 1.</summary>
    Bool,

    /// <summary><c>unix_timestamp</c>: microseconds since the Unix epoch.</summary>
    Timestamp,
}

/// <summary>The kind of a column type, and the questions every part of the state asks about kinds.</summary>
internal static class ValueKinds
{
    /// <summary>The kind a column of <paramref name="type"/> is held as; lists can only be counted.</summary>
    public static ValueKind Of(DataType type) => type.IsList ? ValueKind.NullOnly : type.Scalar switch
    {
        ScalarType.Int32 => ValueKind.Int32,
        ScalarType.Int64 => ValueKind.Int64,
        ScalarType.Float32 => ValueKind.Float32,
        ScalarType.Float64 => ValueKind.Float64,
        ScalarType.String => ValueKind.String,
        ScalarType.Bytes => ValueKind.Bytes,
        ScalarType.Bool => ValueKind.Bool,
        ScalarType.UnixTimestamp => ValueKind.Timestamp,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a column type"),
    };

    /// <summary>Whether values of the kind are doubles (<see cref="AggValue.Double"/>).</summary>
    public static bool IsFloat(this ValueKind kind) => kind is ValueKind.Float32 or ValueKind.Float64;

    /// <summary>Whether values of the kind are bytes (<see cref="AggValue.Data"/>).</summary>
    public static bool IsBytes(this ValueKind kind) => kind is ValueKind.String or ValueKind.Bytes;
}
