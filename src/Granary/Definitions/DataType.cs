using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Definitions;

/// <summary>
/// A feature's declared type: a scalar or a list of scalars, written in definitions as
/// <c>int64</c>, <c>float32_list</c> and so on.
/// </summary>
[JsonConverter(typeof(DataTypeJsonConverter))]
public readonly record struct DataType(ScalarType Scalar, bool IsList = false)
{
    private static readonly Dictionary<string, ScalarType> Names = new(StringComparer.Ordinal)
    {
        ["int32"] = ScalarType.Int32,
        ["int64"] = ScalarType.Int64,
        ["float32"] = ScalarType.Float32,
        ["float64"] = ScalarType.Float64,
        ["string"] = ScalarType.String,
        ["bytes"] = ScalarType.Bytes,
        ["bool"] = ScalarType.Bool,
        ["unix_timestamp"] = ScalarType.UnixTimestamp,
    };

    /// <summary>The names accepted by <see cref="TryParse"/>, for error messages.</summary>
    public static string KnownNames { get; } =
        string.Join(", ", Names.Keys) + " and lists of each (int64_list, ...)";

    /// <summary>Int64.</summary>
    public static DataType Int64 { get; } = new(ScalarType.Int64);

    /// <summary>Float64.</summary>
    public static DataType Float64 { get; } = new(ScalarType.Float64);

    /// <summary>String.</summary>
    public static DataType String { get; } = new(ScalarType.String);

    /// <summary>Parses a dtype name such as <c>float32</c> or <c>int64_list</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DataType? type)
    {
        type = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var isList = text.EndsWith("_list", StringComparison.Ordinal);
        var scalarName = isList ? text[..^"_list".Length] : text;
        if (!Names.TryGetValue(scalarName, out var scalar))
        {
            return false;
        }

        type = new DataType(scalar, isList);
        return true;
    }

    /// <summary>Parses a dtype name, throwing <see cref="FormatException"/> for an unknown one.</summary>
    public static DataType Parse(string text) =>
        TryParse(text, out var type) ? type.Value : throw new FormatException($"unknown dtype '{text}': expected {KnownNames}");

    /// <summary>Whether the type is a number (integer or float, not a list).</summary>
    public bool IsNumeric => !IsList && Scalar is ScalarType.Int32 or ScalarType.Int64 or ScalarType.Float32 or ScalarType.Float64;

    /// <summary>Whether the type is an integer (not a list).</summary>
    public bool IsInteger => !IsList && Scalar is ScalarType.Int32 or ScalarType.Int64;

    /// <inheritdoc/>
    public override string ToString()
    {
        var name = Scalar switch
        {
            ScalarType.Int32 => "int32",
            ScalarType.Int64 => "int64",
            ScalarType.Float32 => "float32",
            ScalarType.Float64 => "float64",
            ScalarType.String => "string",
            ScalarType.Bytes => "bytes",
            ScalarType.Bool => "bool",
            ScalarType.UnixTimestamp => "unix_timestamp",
            _ => throw new InvalidOperationException($"unknown scalar {Scalar}"),
        };
        return IsList ? name + "_list" : name;
    }

    internal sealed class DataTypeJsonConverter : JsonConverter<DataType>
    {
        public override DataType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString() ?? throw new JsonException("dtype must be a string"));

        public override void Write(Utf8JsonWriter writer, DataType value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
