using System.Collections;
using System.Globalization;
using System.Text.Json;
using Granary.Definitions;

namespace Granary.Online;

/// <summary>
/// Converts feature and request values as they arrive (CLR numbers of another width, JSON
/// elements from the feature server, text from the command line) to the CLR type of their declared
/// dtype, with errors that name the feature. The one place such conversion happens: the codec,
/// pushes and request fields all use it.
/// </summary>
public static class FeatureValues
{
    /// <summary>
    /// The value as its dtype's CLR type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>,
    /// <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>, <see cref="byte"/> arrays
    /// (base64 text is accepted), <see cref="DateTimeOffset"/> (ISO-8601 text, UTC without an
    /// offset), or an array of those for lists; null stays null.
    /// </summary>
    /// <exception cref="GranaryException">The value does not fit the type; the message names <paramref name="name"/>.</exception>
    public static object? Convert(object? value, DataType type, string name)
    {
        var field = new Field { Name = name, Dtype = type };
        value = Unwrap(value, field);
        if (value is null)
        {
            return null;
        }

        if (!type.IsList)
        {
            return Scalar(field, type.Scalar, value);
        }

        if (value is string or byte[] || value is not IEnumerable items)
        {
            throw WrongType(field, value);
        }

        var converted = items.Cast<object?>().Select(item => Unwrap(item, field) is { } v ? Scalar(field, type.Scalar, v) : null).ToList();
        return type.Scalar switch
        {
            ScalarType.Int32 => converted.Select(v => (int)(v ?? throw NullElement(field))).ToArray(),
            ScalarType.Int64 => converted.Select(v => (long)(v ?? throw NullElement(field))).ToArray(),
            ScalarType.Float32 => converted.Select(v => (float)(v ?? throw NullElement(field))).ToArray(),
            ScalarType.Float64 => converted.Select(v => (double)(v ?? throw NullElement(field))).ToArray(),
            ScalarType.Bool => converted.Select(v => (bool)(v ?? throw NullElement(field))).ToArray(),
            ScalarType.UnixTimestamp => converted.Select(v => (DateTimeOffset)(v ?? throw NullElement(field))).ToArray(),
            ScalarType.String => converted.Select(v => (string?)v).ToArray(),
            ScalarType.Bytes => converted.Select(v => (byte[]?)v).ToArray(),
            _ => throw new InvalidOperationException($"unknown scalar {type.Scalar}"),
        };
    }

    private static object Scalar(Field field, ScalarType scalar, object value) => (scalar, value) switch
    {
        (ScalarType.String, string s) => s,
        (_, string text) => Parse(field, scalar, text),
        (ScalarType.Int32, _) => ToInt32(field, value),
        (ScalarType.Int64, _) => ToInt64(field, value),
        (ScalarType.Float32, _) => ToSingle(field, value),
        (ScalarType.Float64, _) => ToDouble(field, value),
        (ScalarType.Bool, bool b) => b,
        (ScalarType.UnixTimestamp, _) => ToTimestamp(field, value),
        (ScalarType.Bytes, _) => ToBytes(field, value).ToArray(),
        _ => throw WrongType(field, value),
    };

    private static object Parse(Field field, ScalarType scalar, string text)
    {
        var culture = CultureInfo.InvariantCulture;
        object? parsed = scalar switch
        {
            ScalarType.Int32 when int.TryParse(text, NumberStyles.Integer, culture, out var i) => i,
            ScalarType.Int64 when long.TryParse(text, NumberStyles.Integer, culture, out var l) => l,
            ScalarType.Float32 when float.TryParse(text, NumberStyles.Float, culture, out var f) => f,
            ScalarType.Float64 when double.TryParse(text, NumberStyles.Float, culture, out var d) => d,
            ScalarType.Bool when bool.TryParse(text, out var b) => b,
            ScalarType.UnixTimestamp when DateTimeOffset.TryParse(text, culture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t,
            ScalarType.Bytes => TryBase64(text),
            _ => null,
        };
        return parsed ?? throw new GranaryException($"feature '{field.Name}' expects {field.Dtype}; '{text}' is not one");
    }

    /// <summary>Base64 text as bytes, or null when it is not base64.</summary>
    internal static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return System.Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>A JSON scalar as a .NET value (integers as <see cref="long"/>); null for null, arrays and objects.</summary>
    internal static object? JsonScalar(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Number when json.TryGetInt64(out var l) => l,
        JsonValueKind.Number => json.GetDouble(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static object? Unwrap(object? value, Field field) => value is JsonElement json
        ? json.ValueKind switch
        {
            JsonValueKind.Array => json.EnumerateArray().Select(e => (object?)e).ToList(),
            JsonValueKind.Object => throw new GranaryException($"feature '{field.Name}' expects {field.Dtype}; got a JSON object"),
            _ => JsonScalar(json),
        }
        : value;

    private static GranaryException NullElement(Field field) =>
        new($"feature '{field.Name}' ({field.Dtype}) has a null list element; only string and bytes lists may hold nulls");

    internal static int ToInt32(Field field, object value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint u when u <= int.MaxValue => (int)u,
        ulong ul when ul <= int.MaxValue => (int)ul,
        long or uint or ulong => throw new GranaryException(
            $"feature '{field.Name}' expects int32; the value {value} is out of its range"),
        _ => throw WrongType(field, value),
    };

    internal static long ToInt64(Field field, object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint u => u,
        ulong ul when ul <= long.MaxValue => (long)ul,
        ulong => throw new GranaryException($"feature '{field.Name}' expects int64; the value {value} is out of its range"),
        _ => throw WrongType(field, value),
    };

    internal static float ToSingle(Field field, object value) => value switch
    {
        float f => f,
        double d => (float)d,
        decimal m => (float)m,
        int or long or short or byte or sbyte or ushort or uint or ulong => (float)ToDouble(field, value),
        _ => throw WrongType(field, value),
    };

    internal static double ToDouble(Field field, object value) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint u => u,
        ulong ul => ul,
        _ => throw WrongType(field, value),
    };

    internal static DateTimeOffset ToTimestamp(Field field, object value) => value switch
    {
        DateTimeOffset t => t,
        DateTime { Kind: DateTimeKind.Local } d => new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero),

        // An unspecified DateTime is taken as UTC, the way every Granary timestamp is.
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc), TimeSpan.Zero),
        _ => throw WrongType(field, value),
    };

    internal static ReadOnlyMemory<byte> ToBytes(Field field, object value) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m,
        Memory<byte> m => m,
        ArraySegment<byte> s => s,
        _ => throw WrongType(field, value),
    };

    internal static GranaryException WrongType(Field field, object value) => new(
        $"feature '{field.Name}' expects {field.Dtype} ({ExpectedClrType(field.Dtype)}); got a value of type {value.GetType().Name}");

    private static string ExpectedClrType(DataType type)
    {
        var scalar = type.Scalar switch
        {
            ScalarType.Int32 => "int",
            ScalarType.Int64 => "long",
            ScalarType.Float32 => "float",
            ScalarType.Float64 => "double",
            ScalarType.String => "string",
            ScalarType.Bytes => "byte[]",
            ScalarType.Bool => "bool",
            ScalarType.UnixTimestamp => "DateTimeOffset",
            _ => type.Scalar.ToString(),
        };
        return type.IsList ? scalar + "[]" : scalar;
    }

}
