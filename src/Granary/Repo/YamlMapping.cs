using System.Globalization;
using Granary.Definitions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Granary.Repo;

/// <summary>
/// A YAML mapping being read as one definition: typed getters that report file, line and column,
/// and a check that no unknown key was written.
/// </summary>
internal sealed class YamlMapping
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<string> _errors;

    public YamlMapping(YamlMappingNode node, string file, string what, List<string> errors)
    {
        _node = node;
        File = file;
        What = what;
        _errors = errors;
    }

    public string File { get; }

    /// <summary>The definition being read, for messages: <c>feature_view 'x'</c>.</summary>
    public string What { get; set; }

    public SourceLocation Location => At(_node);

    public SourceLocation At(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string message) => _errors.Add($"{At(node)}: {What}: {message}");

    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    public string? String(string key, bool required = false)
    {
        var node = Node(key);
        if (node is null || IsNull(node))
        {
            if (required)
            {
                _errors.Add($"{Location}: {What}: missing required key '{key}'");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{key}' must be a single value, not a list or mapping");
            return null;
        }

        return scalar.Value;
    }

    public bool Bool(string key, bool fallback)
    {
        var node = Node(key);
        if (node is null)
        {
            return fallback;
        }

        if (node is YamlScalarNode { Value: "true" or "True" or "yes" })
        {
            return true;
        }

        if (node is YamlScalarNode { Value: "false" or "False" or "no" })
        {
            return false;
        }

        Error(node, $"'{key}' must be true or false");
        return fallback;
    }

    public IReadOnlyList<string> StringList(string key, bool required = false)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required)
            {
                _errors.Add($"{Location}: {What}: missing required key '{key}'");
            }

            return [];
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } single })
        {
            return [single];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{key}' must be a list of names");
            return [];
        }

        var items = new List<string>();
        foreach (var item in sequence)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value })
            {
                items.Add(value);
            }
            else
            {
                Error(item, $"'{key}' must hold names only");
            }
        }

        return items;
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var node = Node(key);
        if (node is null)
        {
            return new Dictionary<string, string>();
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"'{key}' must be a mapping of names to values");
            return new Dictionary<string, string>();
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode { Value: { } value })
            {
                map[name] = value;
            }
            else
            {
                Error(v, $"'{key}' must map names to single values");
            }
        }

        return map;
    }

    /// <summary>A nested mapping, or null when absent or of the wrong shape (reported).</summary>
    public YamlMapping? Mapping(string key, string what)
    {
        var node = Node(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"'{key}' must be a mapping");
            return null;
        }

        return new YamlMapping(mapping, File, what, _errors);
    }

    public IEnumerable<(YamlNode Node, YamlMapping? Mapping)> MappingList(string key, bool required, string itemWhat)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required)
            {
                _errors.Add($"{Location}: {What}: missing required key '{key}'");
            }

            yield break;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{key}' must be a list");
            yield break;
        }

        foreach (var item in sequence)
        {
            yield return (item, item is YamlMappingNode m ? new YamlMapping(m, File, $"{What} {itemWhat}", _errors) : null);
        }
    }

    public IEnumerable<(string Key, YamlNode Value)> Entries()
    {
        foreach (var (k, v) in _node.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? string.Empty;
            _read.Add(key);
            yield return (key, v);
        }
    }

    /// <summary>Reports every key that no getter asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var key in _node.Children.Keys)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : key.ToString();
            if (!_read.Contains(name))
            {
                var known = string.Join(", ", _read.Order(StringComparer.Ordinal));
                Error(key, $"unknown key '{name}'; expected one of: {known}");
            }
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "null",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node.NodeType.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
