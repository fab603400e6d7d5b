namespace Granary.Definitions;

/// <summary>The element type of a feature, entity key or request field.</summary>
public enum ScalarType
{
    /// <summary>32-bit signed integer (<c>int32</c>).</summary>
    Int32,
    /// <summary>64-bit signed integer (<c>int64</c>).</summary>
    Int64,
    /// <summary>32-bit IEEE float (<c>float32</c>).</summary>
    Float32,
    /// <summary>64-bit IEEE float (<c>float64</c>).</summary>
    Float64,
    /// <summary>UTF-8 text (<c>string</c>).</summary>
    String,
    /// <summary>Opaque bytes (<c>bytes</c>).</summary>
    Bytes,
    /// <summary>Boolean (<c>bool</c>).</summary>
    Bool,
    /// <summary>An instant in UTC (<c>unix_timestamp</c>).</summary>
    UnixTimestamp,
}
