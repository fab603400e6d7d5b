using System.Globalization;
using System.Text.Json;
using Granary.Definitions;

namespace Granary.Online;

/// <summary>Converts join key values from requests (JSON numbers, CLI text, CLR integers) to the entity's declared type.</summary>
public static class EntityValues
{
    /// <summary>The value as the entity type stores it (<see cref="long"/>, <see cref="string"/> or bytes); throws naming the column.</summary>
    public static object Convert(object? value, DataType type, string column)
    {
        object? converted = (value, type.Scalar) switch
        {
            (null, _) => null,
            (JsonElement json, _) => Convert(FeatureValues.JsonScalar(json), type, column),
            (long or int or short or sbyte or byte or uint, ScalarType.Int32 or ScalarType.Int64) => FitsOrNull(System.Convert.ToInt64(value, CultureInfo.InvariantCulture), type),
            (ulong u, ScalarType.Int64) when u <= long.MaxValue => (long)u,
            (double d, ScalarType.Int32 or ScalarType.Int64) when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => FitsOrNull((long)d, type),
            (string s, ScalarType.Int32 or ScalarType.Int64) when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => FitsOrNull(l, type),
            (string s, ScalarType.String) => s,
            (byte[] b, ScalarType.Bytes) => b,
            (string s, ScalarType.Bytes) => FeatureValues.TryBase64(s),
            _ => null,
        };
        return converted ?? throw new GranaryException(
            value is null
                ? $"entity column '{column}' has a null value; join keys must not be null"
                : $"entity column '{column}' has value '{value}', which is not {type}");
    }

    private static object? FitsOrNull(long value, DataType type) =>
        type.Scalar == ScalarType.Int32 && value is < int.MinValue or > int.MaxValue ? null : value;
}
