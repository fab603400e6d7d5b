using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Granary.Definitions;
using Granary.Online;

namespace Granary.Ui.Catalog;

/// <summary>
/// "Try it" on a view or service page: which entity columns a read needs, the request for the
/// facade, and the same request as a <c>curl</c> command against <c>granary serve</c>.
/// </summary>
public static class TryIt
{
    /// <summary>Whether <paramref name="definition"/> can be read online: a service, or a view served online.</summary>
    public static bool Supports(Definition definition) => definition switch
    {
        FeatureView v => v.Online,
        AggregationView v => v.Online,
        OnDemandFeatureView or FeatureService => true,
        _ => false,
    };

    /// <summary>The join keys and request fields a read of <paramref name="definition"/> needs, each once, in the order met.</summary>
    public static IReadOnlyList<TryInput> InputsOf(DefinitionSet set, Definition definition)
    {
        ArgumentNullException.ThrowIfNull(set);
        var inputs = new List<TryInput>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void AddKeys(IReadOnlyList<string> entities)
        {
            foreach (var entity in entities.Select(set.FindEntity).OfType<Entity>())
            {
                foreach (var key in entity.JoinKeys)
                {
                    Add(new TryInput(key, entity.ValueType, $"entity {entity.Name}"));
                }
            }
        }

        void Add(TryInput input)
        {
            if (inputs.All(i => i.Name != input.Name))
            {
                inputs.Add(input);
            }
        }

        void Visit(Definition? d)
        {
            if (d is null || !visited.Add($"{d.Kind}/{d.Name}"))
            {
                return;
            }

            switch (d)
            {
                case FeatureView v:
                    AddKeys(v.Entities);
                    break;
                case AggregationView v:
                    AddKeys(v.Entities);
                    break;
                case RequestSource r:
                    foreach (var field in r.Schema)
                    {
                        Add(new TryInput(field.Name, field.Dtype, $"request source {r.Name}"));
                    }

                    break;
                case OnDemandFeatureView v:
                    foreach (var source in v.Sources)
                    {
                        Visit(Resolve(set, source));
                    }

                    break;
                case FeatureService s:
                    foreach (var projection in s.Features)
                    {
                        Visit(Resolve(set, projection.View));
                    }

                    break;
            }
        }

        Visit(definition);
        return inputs;
    }

    /// <summary>The request that reads <paramref name="definition"/> for one entity row of <paramref name="values"/> (as typed, by input name).</summary>
    public static OnlineFeaturesRequest Request(Definition definition, IReadOnlyList<TryInput> inputs, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(values);

        // Typed as the CLI types --entity values: the text as given; the read converts it to the key's type.
        var entities = inputs.ToDictionary(i => i.Name, i => (IReadOnlyList<object?>)[values.GetValueOrDefault(i.Name) ?? string.Empty]);
        return definition is FeatureService service
            ? new OnlineFeaturesRequest { FeatureService = service.Name, Entities = entities }
            : new OnlineFeaturesRequest { Features = FeatureReferences(definition), Entities = entities };
    }

    /// <summary>Every feature of a view as <c>view:feature</c>.</summary>
    public static IReadOnlyList<string> FeatureReferences(Definition view) =>
        Search.FieldsOf(view).Select(f => $"{view.Name}:{f.Name}").ToArray();

    /// <summary>
    /// The body of <paramref name="request"/> for <c>POST /get-online-features</c>, with values as
    /// JSON numbers or booleans where their input's type asks for one and the text is one.
    /// </summary>
    public static string Body(OnlineFeaturesRequest request, IReadOnlyList<TryInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inputs);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (request.FeatureService is { } service)
            {
                json.WriteString("feature_service", service);
            }
            else
            {
                json.WriteStartArray("features");
                foreach (var feature in request.Features ?? [])
                {
                    json.WriteStringValue(feature);
                }

                json.WriteEndArray();
            }

            json.WriteStartObject("entities");
            foreach (var (name, column) in request.Entities)
            {
                var type = inputs.FirstOrDefault(i => i.Name == name)?.Type;
                json.WriteStartArray(name);
                foreach (var value in column)
                {
                    WriteValue(json, value as string ?? string.Empty, type);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// A POSIX shell command that sends <paramref name="body"/> to <paramref name="serverUrl"/>;
    /// with <paramref name="withKey"/> it sends the key from <c>$GRANARY_API_KEY</c>.
    /// </summary>
    public static string Curl(string serverUrl, string body, bool withKey)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(body);
        var command = new StringBuilder();
        command.Append(CultureInfo.InvariantCulture, $"curl -sS -X POST {Quote(serverUrl.TrimEnd('/') + "/get-online-features")} \\\n");
        command.Append("  -H 'Content-Type: application/json' \\\n");
        if (withKey)
        {
            command.Append("  -H \"Authorization: Bearer $GRANARY_API_KEY\" \\\n");
        }

        command.Append(CultureInfo.InvariantCulture, $"  -d {Quote(body)}");
        return command.ToString();
    }

    /// <summary>Single-quotes <paramref name="text"/> for a POSIX shell.</summary>
    public static string Quote(string text) => "'" + (text ?? string.Empty).Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Definition? Resolve(DefinitionSet set, string name) =>
        (Definition?)set.FindFeatureView(name)
        ?? (Definition?)set.FindAggregationView(name)
        ?? (Definition?)set.FindOnDemandFeatureView(name)
        ?? set.FindRequestSource(name);

    private static void WriteValue(Utf8JsonWriter json, string text, DataType? type)
    {
        var scalar = type is { IsList: false } t ? t.Scalar : (ScalarType?)null;
        switch (scalar)
        {
            case ScalarType.Int32 or ScalarType.Int64 when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                json.WriteNumberValue(integer);
                break;
            case ScalarType.Float32 or ScalarType.Float64 when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case ScalarType.Bool when bool.TryParse(text, out var flag):
                json.WriteBooleanValue(flag);
                break;
            default:
                json.WriteStringValue(text);
                break;
        }
    }
}
