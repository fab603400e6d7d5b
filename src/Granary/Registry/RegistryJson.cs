using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Registry;

/// <summary>The JSON form of registry contents, shared by every registry backend so they store the same documents.</summary>
public static class RegistryJson
{
    /// <summary>Serializer options: snake_case names, enums as strings, readable output.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Serializes a value with <see cref="Options"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Deserializes a value written by <see cref="Serialize{T}"/>.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("the registry document is empty");
}
