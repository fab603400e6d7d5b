using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using Granary.Definitions;

namespace Granary.Online;

public static partial class FeatureValueCodec
{
    /// <summary>
    /// The .NET type that <see cref="ConvertValue"/> returns and <see cref="Decode"/> gives for a
    /// dtype: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/>,
    /// <see cref="string"/>, <see cref="byte"/>[], <see cref="bool"/> or <see cref="DateTimeOffset"/>,
    /// or an array of it for a list.
    /// </summary>
    public static Type ClrTypeOf(DataType type)
    {
        var scalar = type.Scalar switch
        {
            ScalarType.Int32 => typeof(int),
            ScalarType.Int64 => typeof(long),
            ScalarType.Float32 => typeof(float),
            ScalarType.Float64 => typeof(double),
            ScalarType.String => typeof(string),
            ScalarType.Bytes => typeof(byte[]),
            ScalarType.Bool => typeof(bool),
            ScalarType.UnixTimestamp => typeof(DateTimeOffset),
            _ => throw new InvalidOperationException($"unknown scalar {type.Scalar}"),
        };
        return type.IsList ? scalar.MakeArrayType() : scalar;
    }

    /// <summary>
    /// Converts a value given for <paramref name="field"/> to the type <see cref="ClrTypeOf"/> names,
    /// with the same widening rules as <see cref="Encode(IBufferWriter{byte}, Field, object?)"/>, so
    /// that a value is checked before anything is written.
    /// </summary>
    /// <remarks>
    /// Values from JSON request bodies arrive as <see cref="JsonElement"/>: numbers, booleans, strings
    /// and arrays convert as their JSON kind says, plus three string forms, the ones JSON has no
    /// literal for: <c>unix_timestamp</c> takes ISO-8601 text (UTC when it has no offset) or a number
    /// of seconds since the Unix epoch, <c>bytes</c> takes base64 and the float types take
    /// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> (as <see cref="OnlineResponseJson"/> writes them).
    /// </remarks>
    /// <exception cref="GranaryException">The value does not fit the field's dtype; the message names the field.</exception>
    public static object? ConvertValue(Field field, object? value)
    {
        ArgumentNullException.ThrowIfNull(field);
        var type = field.Dtype;
        if (value is JsonElement json)
        {
            value = FromJson(field, json);
        }

        if (value is null)
        {
            return null;
        }

        if (!type.IsList)
        {
            return ConvertScalar(field, type.Scalar, value);
        }

        if (value is string or byte[] || value is not IEnumerable items)
        {
            throw WrongType(field, value);
        }

        var list = new List<object?>();
        foreach (var item in items)
        {
            list.Add(item is JsonElement element ? FromJson(field, element) : item);
        }

        object NotNull(object? item) => item ?? throw new GranaryException(
            $"feature '{field.Name}' ({type}) has a null list element; only string and bytes lists may hold nulls");

        return type.Scalar switch
        {
            ScalarType.Int32 => list.Select(x => ToInt32(field, NotNull(x))).ToArray(),
            ScalarType.Int64 => list.Select(x => ToInt64(field, NotNull(x))).ToArray(),
            ScalarType.Float32 => list.Select(x => ToSingle(field, NotNull(x))).ToArray(),
            ScalarType.Float64 => list.Select(x => ToDouble(field, NotNull(x))).ToArray(),
            ScalarType.Bool => list.Select(x => NotNull(x) is bool b ? b : throw WrongType(field, x!)).ToArray(),
            ScalarType.UnixTimestamp => list.Select(x => ToTimestamp(field, NotNull(x)).ToUniversalTime()).ToArray(),
            ScalarType.String => list.Select(x => x is null ? null : x as string ?? throw WrongType(field, x)).ToArray(),
            ScalarType.Bytes => list.Select(x => x is null ? null : ToBytes(field, x).ToArray()).ToArray(),
            _ => throw new InvalidOperationException($"unknown scalar {type.Scalar}"),
        };
    }

    private static object ConvertScalar(Field field, ScalarType scalar, object value) => scalar switch
    {
        ScalarType.Int32 => ToInt32(field, value),
        ScalarType.Int64 => ToInt64(field, value),
        ScalarType.Float32 => ToSingle(field, value),
        ScalarType.Float64 => ToDouble(field, value),
        ScalarType.Bool => value is bool b ? b : throw WrongType(field, value),
        ScalarType.UnixTimestamp => ToTimestamp(field, value).ToUniversalTime(),
        ScalarType.String => value as string ?? throw WrongType(field, value),
        ScalarType.Bytes => value as byte[] ?? ToBytes(field, value).ToArray(),
        _ => throw new InvalidOperationException($"unknown scalar {scalar}"),
    };

    private static object? FromJson(Field field, JsonElement json)
    {
        var scalar = field.Dtype.Scalar;
        switch (json.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number when scalar == ScalarType.UnixTimestamp:
                return json.TryGetInt64(out var seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : DateTimeOffset.UnixEpoch.AddTicks((long)(json.GetDouble() * TimeSpan.TicksPerSecond));
            case JsonValueKind.Number:
                return json.TryGetInt64(out var integer) ? (object)integer : json.GetDouble();
            case JsonValueKind.Array:
                return json.EnumerateArray().ToArray();
            case JsonValueKind.String:
                var text = json.GetString()!;
                return scalar switch
                {
                    ScalarType.UnixTimestamp => DateTimeOffset.TryParse(
                        text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                        ? time
                        : throw new GranaryException($"feature '{field.Name}' expects {field.Dtype}; '{text}' is not an ISO-8601 time"),
                    ScalarType.Bytes => TryFromBase64(text)
                        ?? throw new GranaryException($"feature '{field.Name}' expects {field.Dtype}; '{text}' is not base64"),
                    ScalarType.Float32 or ScalarType.Float64 when text is "NaN" or "Infinity" or "-Infinity" =>
                        double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                    _ => text,
                };
            default:
                throw new GranaryException($"feature '{field.Name}' expects {field.Dtype}; got a JSON {json.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    private static byte[]? TryFromBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
