using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Granary.Definitions;

namespace Granary.Registry;

/// <summary>
/// The JSON form of registry contents, shared by every registry backend so they store the same
/// documents: snake_case names, enums as strings, and each source with a <c>type</c> discriminator
/// taken from its <see cref="SourceKind"/>.
/// </summary>
public static class RegistryJson
{
    private static readonly ConditionalWeakTable<SourceKinds, JsonSerializerOptions> ByKinds = [];
    private static readonly SourceKinds CoreKinds = new();

    /// <summary>Serializer options for the core's source kinds only.</summary>
    public static JsonSerializerOptions Options => OptionsFor(CoreKinds);

    /// <summary>Serializer options that read and write the sources of <paramref name="kinds"/>; built once per catalog.</summary>
    public static JsonSerializerOptions OptionsFor(SourceKinds kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        return ByKinds.GetValue(kinds, Create);
    }

    /// <summary>Serializes a value; sources of kinds outside <paramref name="kinds"/> (the core's when null) fail.</summary>
    public static string Serialize<T>(T value, SourceKinds? kinds = null) =>
        JsonSerializer.Serialize(value, OptionsFor(kinds ?? CoreKinds));

    /// <summary>
    /// One definition as the registry stores it: a source through its base type, so that its
    /// <c>type</c> is written, anything else as itself.
    /// </summary>
    public static string SerializeDefinition(Definition definition, SourceKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return JsonSerializer.Serialize(definition, definition is DataSource ? typeof(DataSource) : definition.GetType(), OptionsFor(kinds ?? CoreKinds));
    }

    /// <summary>Deserializes a value written by <see cref="Serialize{T}"/>.</summary>
    /// <exception cref="JsonException">The JSON is malformed, or holds a source type that no kind of <paramref name="kinds"/> reads (the message names it).</exception>
    public static T Deserialize<T>(string json, SourceKinds? kinds = null)
    {
        var known = kinds ?? CoreKinds;
        try
        {
            return JsonSerializer.Deserialize<T>(json, OptionsFor(known)) ?? throw new JsonException("the registry document is empty");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException && UnknownSourceType(json, known) is { } type)
        {
            throw new JsonException(
                $"it holds a source of type '{type}', which no installed backend reads (known: {string.Join(", ", known.Select(k => k.Discriminator))}); " +
                "add the backend package that brings it to the host (for example AddPostgres())", e);
        }
    }

    private static JsonSerializerOptions Create(SourceKinds kinds)
    {
        var derived = kinds.Select(k => new JsonDerivedType(k.SourceType, k.Discriminator)).ToArray();
        var resolver = JsonTypeInfoResolver.Combine(RegistryJsonContext.Default, new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
        {
            if (info.Type == typeof(DataSource))
            {
                info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "type" };
                foreach (var type in derived)
                {
                    info.PolymorphismOptions.DerivedTypes.Add(type);
                }
            }
        });
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
            TypeInfoResolver = resolver,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>The first source <c>type</c> in <paramref name="json"/> that <paramref name="kinds"/> does not know, if any.</summary>
    private static string? UnknownSourceType(string json, SourceKinds kinds)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FindSources(document.RootElement)
                .Select(s => s.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                .FirstOrDefault(t => t is not null && kinds.All(k => k.Discriminator != t));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<JsonElement> FindSources(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "sources" && property.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var source in property.Value.EnumerateArray())
                    {
                        yield return source;
                    }
                }
                else
                {
                    foreach (var nested in FindSources(property.Value))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}
