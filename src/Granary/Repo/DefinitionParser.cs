using Granary.Definitions;
using YamlDotNet.RepresentationModel;

namespace Granary.Repo;

/// <summary>Turns the YAML documents of one definition file into definition objects.</summary>
internal sealed class DefinitionParser
{
    private static readonly string[] CoreKinds =
    [
        Entity.KindName, RequestSource.KindName, FeatureView.KindName, AggregationView.KindName, OnDemandFeatureView.KindName, FeatureService.KindName,
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

    /// <summary>Parses the definitions of one file, read from <paramref name="path"/> and named <paramref name="relativeFile"/> in messages.</summary>
    public void ParseFile(string relativeFile, string path)
    {
        YamlStream stream;
        try
        {
            stream = YamlFile.Load(path, relativeFile);
        }
        catch (RepoValidationException e)
        {
            _errors.AddRange(e.Errors);
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
                AggregationView.KindName => ParseAggregationView(yaml, name),
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

    private static readonly Dictionary<string, AggregationFunction> Functions =
        Enum.GetValues<AggregationFunction>().ToDictionary(AggregationView.FunctionName, StringComparer.Ordinal);

    private static AggregationView ParseAggregationView(YamlSection yaml, string name)
    {
        TimeSpan? hop = null;
        if (yaml.String("hop") is { } text)
        {
            if (Duration.TryParse(text, out var parsed))
            {
                hop = parsed;
            }
            else
            {
                yaml.Error("hop", $"hop '{text}' is not a duration; expected 0 (exact windows) or a duration such as 5m or 1h");
            }
        }

        TimeSpan? lateness = null;
        if (yaml.String("allowed_lateness") is { } latenessText)
        {
            if (Duration.TryParse(latenessText, out var parsed))
            {
                lateness = parsed;
            }
            else
            {
                yaml.Error("allowed_lateness", $"allowed_lateness '{latenessText}' is not a duration; expected 0 or a duration such as 30m or 2h");
            }
        }

        var aggregations = new List<Aggregation>();
        foreach (var (node, item) in yaml.MappingList("aggregations", required: true, "aggregation"))
        {
            if (item is null)
            {
                yaml.Error(node, "each aggregation must be a mapping like { column: amount, function: sum, windows: [1h, 1d] }");
                continue;
            }

            var column = item.String("column");
            var functionText = item.String("function", required: true);
            var windows = item.StringList("windows", required: true);
            var kText = item.String("k");
            var featureName = item.String("name");
            item.RejectUnknownKeys();
            if (functionText is null)
            {
                continue;
            }

            if (!Functions.TryGetValue(functionText, out var function))
            {
                item.Error("function", $"unknown function '{functionText}'; expected one of: {string.Join(", ", Functions.Keys)}");
                continue;
            }

            int? k = null;
            if (kText is not null)
            {
                if (function != AggregationFunction.LastK)
                {
                    item.Error("k", $"'k' is for last_k only, not {functionText}");
                }
                else if (!int.TryParse(kText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsedK) || parsedK is < 1 or > 100)
                {
                    item.Error("k", $"k must be a whole number from 1 to 100, not '{kText}'");
                }
                else
                {
                    k = parsedK;
                }
            }
            else if (function == AggregationFunction.LastK)
            {
                item.Error("function", "last_k needs 'k', the number of values to keep (1 to 100)");
            }

            if (column is null && function != AggregationFunction.Count)
            {
                item.Error("function", $"{functionText} needs a 'column' of the source");
            }

            if (featureName is not null && windows.Count != 1)
            {
                item.Error("name", $"'name' gives one feature its name, so it needs exactly one window, not {windows.Count}");
            }

            if (featureName is not null && !Names.IsValid(featureName))
            {
                item.Error("name", $"name '{featureName}' must start with a letter or underscore and hold only letters, digits and underscores");
            }

            foreach (var window in windows)
            {
                if (!Duration.TryParse(window, out var length) || length <= TimeSpan.Zero)
                {
                    item.Error("windows", $"window '{window}' is not a positive duration such as 30m, 1h, 7d or 3600s");
                }
                else if ((hop ?? AggregationView.AutomaticHop(length)) is var windowHop && windowHop > TimeSpan.Zero && length.Ticks % windowHop.Ticks != 0)
                {
                    item.Error("windows", hop is null
                        ? $"window '{window}' is not a multiple of its automatic hop {Duration.Format(windowHop)}; give 'hop' (0 for exact windows) or a window that is"
                        : $"window '{window}' is not a multiple of the hop {Duration.Format(windowHop)}");
                }
            }

            aggregations.Add(new Aggregation { Column = column, Function = function, Windows = windows, K = k, Name = featureName });
        }

        return new AggregationView
        {
            Name = name,
            Entities = yaml.StringList("entities"),
            Source = yaml.String("source", required: true) ?? string.Empty,
            Hop = hop,
            AllowedLateness = lateness,
            Online = yaml.Bool("online", true),
            Aggregations = aggregations,
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

        return new FeatureService { Name = name, Features = projections, Logging = ParseLogging(yaml), Drift = ParseDrift(yaml, "drift", allowFeatures: true) };
    }

    /// <summary><c>logging: { sample_rate: 1.0, path: data/feature_logs }</c> or <c>{ ..., table: schema.table }</c>.</summary>
    private static FeatureLogging? ParseLogging(YamlSection yaml)
    {
        if (yaml.Mapping("logging", $"{yaml.What} logging") is not { } logging)
        {
            return null;
        }

        var rate = logging.Number("sample_rate", 0, 1, "a share of reads from 0 to 1 such as 0.1") ?? 1.0;
        var path = logging.String("path");
        var table = logging.String("table");
        logging.RejectUnknownKeys();
        if (path is not null && table is not null)
        {
            logging.Error("table", "give 'path' (Parquet files) or 'table' (a PostgreSQL table), not both");
        }

        if (path is not null && (System.IO.Path.IsPathRooted(path) || LeavesFolder(path)))
        {
            logging.Error("path", $"path '{path}' must be a folder inside the repo, relative to it, such as {FeatureLogging.DefaultPath}");
        }

        if (table is not null && !Names.IsQualifiedValid(table))
        {
            logging.Error("table", $"table '{table}' must be a name or schema.name of letters, digits and underscores");
        }

        return new FeatureLogging { SampleRate = rate, Path = path, Table = table };
    }

    /// <summary><c>drift: { psi_warn: 0.1, psi_drift: 0.25, features: { view__feature: { psi_warn, psi_drift } } }</c>.</summary>
    private static DriftThresholds? ParseDrift(YamlSection yaml, string key, bool allowFeatures)
    {
        if (yaml.Mapping(key, $"{yaml.What} {key}") is not { } drift)
        {
            return null;
        }

        var warn = drift.Number("psi_warn", 0, 100, "a PSI above 0 such as 0.1", exclusiveMin: true) ?? DriftThresholds.DefaultPsiWarn;
        var high = drift.Number("psi_drift", 0, 100, "a PSI above 0 such as 0.25", exclusiveMin: true) ?? DriftThresholds.DefaultPsiDrift;
        var features = new Dictionary<string, DriftThresholds>(StringComparer.Ordinal);
        if (allowFeatures && drift.Mapping("features", $"{drift.What} features") is { } map)
        {
            foreach (var (feature, _) in map.Entries().ToList())
            {
                if (ParseDrift(map, feature, allowFeatures: false) is { } own)
                {
                    features[feature] = own;
                }
            }
        }

        drift.RejectUnknownKeys();
        if (warn >= high)
        {
            drift.Error("psi_warn", $"psi_warn ({Format(warn)}) must be below psi_drift ({Format(high)})");
        }

        return new DriftThresholds { PsiWarn = warn, PsiDrift = high, Features = features };
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static bool LeavesFolder(string path)
    {
        var depth = 0;
        foreach (var part in path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries))
        {
            depth += part switch { ".." => -1, "." => 0, _ => 1 };
            if (depth < 0)
            {
                return true;
            }
        }

        return depth == 0;
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
