using Granary.Definitions;
using YamlDotNet.RepresentationModel;

namespace Granary.Repo;

/// <summary>Turns the YAML documents of one definition file into definition objects.</summary>
internal sealed class DefinitionParser
{
    private static readonly string[] CoreKinds =
    [
        Entity.KindName, RequestSource.KindName, FeatureView.KindName, OnDemandFeatureView.KindName, FeatureService.KindName,
    ];

    private readonly List<string> _errors;
    private readonly SourceKinds _sourceKinds;
    private readonly List<(Definition Definition, SourceLocation Location)> _definitions = [];

    public DefinitionParser(List<string> errors, SourceKinds sourceKinds)
    {
        _errors = errors;
        _sourceKinds = sourceKinds;
    }

    public IReadOnlyList<(Definition Definition, SourceLocation Location)> Definitions => _definitions;

    public void ParseFile(string relativeFile, TextReader text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            _errors.Add($"{relativeFile}:{e.Start.Line}:{e.Start.Column}: malformed YAML: {Flatten(e)}");
            return;
        }

        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (root is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document, e.g. after a trailing '---'
            }

            if (root is not YamlMappingNode mapping)
            {
                _errors.Add($"{relativeFile}:{root.Start.Line}:{root.Start.Column}: a definition must be a mapping with a 'kind', found {YamlSection.Describe(root)}");
                continue;
            }

            var yaml = new YamlSection(mapping, relativeFile, "definition", _errors);
            var kind = yaml.String("kind", required: true);
            var name = yaml.String("name", required: true);
            if (kind is null || name is null)
            {
                continue;
            }

            yaml.What = $"{kind} '{name}'";
            if (!Names.IsValid(name))
            {
                yaml.Error(yaml.Node("name")!, $"name '{name}' must start with a letter or underscore and hold only letters, digits and underscores");
            }

            Definition? definition = kind switch
            {
                Entity.KindName => ParseEntity(yaml, name),
                RequestSource.KindName => ParseRequestSource(yaml, name),
                FeatureView.KindName => ParseFeatureView(yaml, name),
                OnDemandFeatureView.KindName => ParseOnDemandView(yaml, name),
                FeatureService.KindName => ParseFeatureService(yaml, name),
                _ => _sourceKinds.Find(kind) is { } sourceKind ? ParseSource(yaml, name, sourceKind) : null,
            };
            if (definition is null)
            {
                var known = CoreKinds.Concat(_sourceKinds.Select(k => k.Name)).Order(StringComparer.Ordinal);
                yaml.Error(yaml.Node("kind")!, $"unknown kind '{kind}'; expected one of: {string.Join(", ", known)}");
                continue;
            }

            definition = definition with
            {
                Description = yaml.String("description"),
                Owner = yaml.String("owner"),
                Tags = yaml.StringMap("tags"),
            };
            yaml.RejectUnknownKeys();
            _definitions.Add((definition, yaml.Location));
        }
    }

    private static string Flatten(Exception e)
    {
        var message = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        return message.Replace(Environment.NewLine, " ", StringComparison.Ordinal);
    }

    private static Entity ParseEntity(YamlSection yaml, string name)
    {
        var type = DataType.Int64;
        if (yaml.String("value_type") is { } text)
        {
            if (!DataType.TryParse(text, out var parsed) || parsed.Value.IsList ||
                parsed.Value.Scalar is not (ScalarType.Int32 or ScalarType.Int64 or ScalarType.String or ScalarType.Bytes))
            {
                yaml.Error(yaml.Node("value_type")!, $"value_type '{text}' is not a join key type; expected int32, int64, string or bytes");
            }
            else
            {
                type = parsed.Value;
            }
        }

        return new Entity { Name = name, JoinKeys = yaml.StringList("join_keys"), ValueType = type };
    }

    /// <summary>
    /// A source of a kind from the catalog: the kind reads its own keys, the core those every source
    /// shares (a push source takes its time columns from its batch source, so it has none of its own).
    /// </summary>
    private static DataSource ParseSource(YamlSection yaml, string name, SourceKind kind)
    {
        var source = kind.Parse(yaml, name);
        if (source.GetType() != kind.SourceType)
        {
            throw new InvalidOperationException($"source kind '{kind.Name}' parsed a {source.GetType().Name}, not a {kind.SourceType.Name}");
        }

        return source is PushSource ? source : source with
        {
            TimestampField = yaml.String("timestamp_field") ?? "event_timestamp",
            CreatedTimestampColumn = yaml.String("created_timestamp_column"),
            FieldMapping = yaml.StringMap("field_mapping"),
        };
    }

    private static RequestSource ParseRequestSource(YamlSection yaml, string name) =>
        new() { Name = name, Schema = ParseSchema(yaml, withExpression: false) };

    private static FeatureView ParseFeatureView(YamlSection yaml, string name)
    {
        var ttl = TimeSpan.Zero;
        if (yaml.String("ttl") is { } text && !Duration.TryParse(text, out ttl))
        {
            yaml.Error(yaml.Node("ttl")!, $"ttl '{text}' is not a duration; expected 0 or amounts with units s, m, h, d, w such as 1d12h");
        }

        return new FeatureView
        {
            Name = name,
            Entities = yaml.StringList("entities"),
            Source = yaml.String("source", required: true) ?? string.Empty,
            Ttl = ttl,
            Online = yaml.Bool("online", true),
            Schema = ParseSchema(yaml, withExpression: false),
        };
    }

    private static OnDemandFeatureView ParseOnDemandView(YamlSection yaml, string name)
    {
        var constants = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (yaml.Mapping("constants", "constants") is { } map)
        {
            foreach (var (key, _) in map.Entries().ToList())
            {
                constants[key] = map.StringMap(key);
            }
        }

        return new OnDemandFeatureView
        {
            Name = name,
            Sources = yaml.StringList("sources", required: true),
            Schema = ParseSchema(yaml, withExpression: true),
            Constants = constants,
            WriteToOnlineStore = yaml.Bool("write_to_online_store", false),
        };
    }

    private static FeatureService ParseFeatureService(YamlSection yaml, string name)
    {
        var projections = new List<FeatureProjection>();
        var node = yaml.Node("features");
        if (node is not YamlSequenceNode items)
        {
            yaml.Error(node ?? new YamlScalarNode(), "'features' must be a list of view names or 'view: [features]' entries");
            return new FeatureService { Name = name, Features = projections };
        }

        foreach (var item in items)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { Length: > 0 } view }:
                    projections.Add(new FeatureProjection(view));
                    break;
                case YamlMappingNode { Children.Count: 1 } one
                    when one.Children.Single() is (YamlScalarNode { Value: { } view }, YamlSequenceNode features):
                    projections.Add(new FeatureProjection(
                        view, features.OfType<YamlScalarNode>().Select(f => f.Value ?? string.Empty).ToArray()));
                    break;
                default:
                    yaml.Error(item, "each entry of 'features' must be a view name or 'view: [feature, ...]'");
                    break;
            }
        }

        return new FeatureService { Name = name, Features = projections };
    }

    private static List<Field> ParseSchema(YamlSection yaml, bool withExpression)
    {
        var fields = new List<Field>();
        foreach (var (node, item) in yaml.MappingList("schema", required: true, "schema entry"))
        {
            if (item is null)
            {
                yaml.Error(node, "each schema entry must be a mapping like { name: x, dtype: float32 }");
                continue;
            }

            var fieldName = item.String("name", required: true);
            var dtypeText = item.String("dtype", required: true);
            var description = item.String("description");
            var expression = withExpression ? item.String("expression", required: true) : null;
            item.RejectUnknownKeys();
            if (fieldName is null || dtypeText is null)
            {
                continue;
            }

            if (!DataType.TryParse(dtypeText, out var dtype))
            {
                item.Error(item.Node("dtype")!, $"unknown dtype '{dtypeText}'; expected {DataType.KnownNames}");
                continue;
            }

            fields.Add(new Field { Name = fieldName, Dtype = dtype.Value, Description = description, Expression = expression });
        }

        return fields;
    }
}
