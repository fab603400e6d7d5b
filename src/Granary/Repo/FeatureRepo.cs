using Granary.Definitions;
using Microsoft.Extensions.FileSystemGlobbing;
using YamlDotNet.RepresentationModel;

namespace Granary.Repo;

/// <summary>
/// Reads a feature repo: <c>granary.yaml</c> at the root and definitions in every other YAML file,
/// skipping hidden folders and the paths listed in <c>.granaryignore</c>.
/// </summary>
public static class FeatureRepo
{
    /// <summary>The file whose lines are glob patterns of paths to skip.</summary>
    public const string IgnoreFileName = ".granaryignore";

    /// <summary>Reads <c>granary.yaml</c> of the repo at <paramref name="repoPath"/>.</summary>
    /// <exception cref="RepoValidationException">The file is missing or malformed.</exception>
    public static RepoConfig LoadConfig(string repoPath)
    {
        var root = Path.GetFullPath(repoPath);
        var file = Path.Combine(root, RepoConfig.FileName);
        if (!File.Exists(file))
        {
            throw new RepoValidationException($"{file}: not found; is '{root}' a feature repo? ('granary init NAME' creates one)");
        }

        var errors = new List<string>();
        var stream = YamlFile.Load(file, RepoConfig.FileName);

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new RepoValidationException($"{RepoConfig.FileName}:1:1: expected one mapping with 'project' and store sections");
        }

        var yaml = new YamlSection(mapping, RepoConfig.FileName, "granary.yaml", errors);
        var project = yaml.String("project", required: true);
        if (project is not null && !Names.IsValid(project))
        {
            yaml.Error(yaml.Node("project")!, $"project '{project}' must hold only letters, digits and underscores");
        }

        var config = new RepoConfig { RepoPath = root, Project = project ?? string.Empty };
        config = config with
        {
            Registry = Store(yaml, "registry", config.Registry, pathKeyShorthand: true),
            OfflineStore = Store(yaml, "offline_store", config.OfflineStore, pathKeyShorthand: false),
            OnlineStore = Store(yaml, "online_store", config.OnlineStore, pathKeyShorthand: false),
            FeatureServer = Store(yaml, "feature_server", config.FeatureServer, pathKeyShorthand: false),
        };
        yaml.RejectUnknownKeys();
        if (errors.Count > 0)
        {
            throw new RepoValidationException(errors);
        }

        return config;
    }

    private static StoreConfig Store(YamlSection yaml, string key, StoreConfig fallback, bool pathKeyShorthand)
    {
        var node = yaml.Node(key);
        if (node is null)
        {
            return fallback;
        }

        if (pathKeyShorthand && node is YamlScalarNode { Value: { Length: > 0 } path })
        {
            var at = yaml.At(node);
            return new StoreConfig("file", new Dictionary<string, string> { ["path"] = path })
            {
                Section = key,
                Location = at,
                Locations = new Dictionary<string, SourceLocation> { ["path"] = at },
            };
        }

        var section = yaml.Mapping(key, key);
        if (section is null)
        {
            return fallback;
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var nested = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        string? type = null;
        foreach (var (name, value) in section.Entries())
        {
            locations[name] = section.At(value);
            if (value is YamlScalarNode { Value: { } text })
            {
                if (name == "type")
                {
                    type = text;
                }
                else
                {
                    settings[name] = text;
                }
            }
            else if (value is YamlSequenceNode or YamlMappingNode)
            {
                // Lists and mappings (for example feature_server.api_keys) keep their nodes, and so their positions.
                nested[name] = value;
            }
        }

        return new StoreConfig(type ?? fallback.Type, settings)
        {
            Section = key,
            Location = section.Location,
            Locations = locations,
            Nested = nested,
        };
    }

    /// <summary>Reads and validates every definition of the repo; nothing is written.</summary>
    /// <param name="repoPath">The repo folder.</param>
    /// <param name="sourceKinds">
    /// The source kinds to understand, usually <see cref="FeatureStore.SourceKinds"/> of the store the
    /// definitions are for; the core's kinds alone when null.
    /// </param>
    /// <exception cref="RepoValidationException">One line per problem, each naming file and line.</exception>
    public static DefinitionSet LoadDefinitions(string repoPath, SourceKinds? sourceKinds = null)
    {
        var root = Path.GetFullPath(repoPath);
        var errors = new List<string>();
        var parser = new DefinitionParser(errors, sourceKinds ?? new SourceKinds());
        var realRoot = RepoPaths.RealPath(root);
        foreach (var file in DefinitionFiles(root))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');

            // A definition file that is a symlink counts where it points: inside the repo, or refused.
            var real = RepoPaths.RealPath(file);
            if (!RepoPaths.IsInside(realRoot, real))
            {
                errors.Add($"{relative}: a symlink to '{real}', outside the repo folder; definition files must be inside the repo");
            }
            else if (real != file && !File.Exists(real))
            {
                errors.Add($"{relative}: a symlink to '{real}', which does not exist");
            }
            else
            {
                parser.ParseFile(relative, real);
            }
        }

        var set = Collect(parser.Definitions, errors);
        errors.AddRange(DefinitionValidator.Validate(set));
        if (errors.Count > 0)
        {
            throw new RepoValidationException(errors);
        }

        return set;
    }

    /// <summary>The definition files of a repo, in path order.</summary>
    public static IReadOnlyList<string> DefinitionFiles(string repoPath)
    {
        var root = Path.GetFullPath(repoPath);
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude("**/*.yaml");
        matcher.AddInclude("**/*.yml");
        matcher.AddExclude(RepoConfig.FileName);
        matcher.AddExclude("**/.*/**");
        var ignore = Path.Combine(root, IgnoreFileName);
        if (File.Exists(ignore))
        {
            foreach (var line in File.ReadAllLines(ignore))
            {
                var pattern = line.Trim();
                if (pattern.Length == 0 || pattern.StartsWith('#'))
                {
                    continue;
                }

                pattern = pattern.TrimStart('/');
                matcher.AddExclude(pattern);
                matcher.AddExclude(pattern.TrimEnd('/') + "/**");
            }
        }

        return matcher.GetResultsInFullPath(root).Order(StringComparer.Ordinal).ToArray();
    }

    private static DefinitionSet Collect(IReadOnlyList<(Definition Definition, SourceLocation Location)> parsed, List<string> errors)
    {
        var locations = new Dictionary<(string Kind, string Name), SourceLocation>();
        var firstByGroup = new Dictionary<(string Group, string Name), SourceLocation>();
        foreach (var (definition, location) in parsed)
        {
            // Sources of every type share one namespace, since views name them without a type; so do
            // the views, since feature references (view:feature) name them without a kind.
            var group = definition switch
            {
                DataSource => "source",
                FeatureView or AggregationView or OnDemandFeatureView => "view",
                _ => definition.Kind,
            };
            if (firstByGroup.TryGetValue((group, definition.Name), out var first))
            {
                errors.Add($"{location}: {definition.Kind} '{definition.Name}': duplicate name; first declared at {first}");
                continue;
            }

            firstByGroup[(group, definition.Name)] = location;
            locations[(definition.Kind, definition.Name)] = location;
        }

        var unique = parsed.Where(p => locations.TryGetValue((p.Definition.Kind, p.Definition.Name), out var l) && l == p.Location)
            .Select(p => p.Definition).ToList();
        return new DefinitionSet
        {
            Entities = unique.OfType<Entity>().ToArray(),
            Sources = unique.OfType<DataSource>().ToArray(),
            RequestSources = unique.OfType<RequestSource>().ToArray(),
            FeatureViews = unique.OfType<FeatureView>().ToArray(),
            OnDemandFeatureViews = unique.OfType<OnDemandFeatureView>().ToArray(),
            AggregationViews = unique.OfType<AggregationView>().ToArray(),
            FeatureServices = unique.OfType<FeatureService>().ToArray(),
            Locations = locations,
        };
    }
}
