using System.Globalization;
using Granary.Definitions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Granary.Repo;

/// <summary>
/// A YAML mapping being read as one definition or one section of <c>granary.yaml</c>: typed getters
/// that report file, line and column, and a check that no unknown key was written. Backends read
/// their own source kinds and options through it, so that every error names where it was written.
/// </summary>
public sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<string> _errors;

    /// <summary>Reads <paramref name="node"/> of <paramref name="file"/>, adding problems to <paramref name="errors"/>.</summary>
    /// <param name="node">The mapping.</param>
    /// <param name="file">The file, relative to the repo, for messages.</param>
    /// <param name="what">What is being read, for messages: <c>feature_view 'x'</c> or <c>online_store</c>.</param>
    /// <param name="errors">Where problems go, one line each.</param>
    public YamlSection(YamlMappingNode node, string file, string what, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(errors);
        _node = node;
        File = file;
        What = what;
        _errors = errors;
    }

    /// <summary>The file, relative to the repo.</summary>
    public string File { get; }

    /// <summary>What is being read, for messages: <c>feature_view 'x'</c>.</summary>
    public string What { get; set; }

    /// <summary>Where the mapping starts.</summary>
    public SourceLocation Location => At(_node);

    /// <summary>The keys written, in order.</summary>
    public IEnumerable<string> Keys => _node.Children.Keys.Select(KeyName);

    /// <summary>Whether any problem was reported so far (by this section or any other sharing its error list).</summary>
    public bool HasErrors => _errors.Count > 0;

    /// <summary>Where <paramref name="node"/> starts.</summary>
    public SourceLocation At(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new(File, (int)node.Start.Line, (int)node.Start.Column);
    }

    /// <summary>Where the value of <paramref name="key"/> starts, or where the mapping starts when the key is absent.</summary>
    public SourceLocation At(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? At(value) : Location;

    /// <summary>Reports a problem at <paramref name="node"/>: <c>file:line:column: what: message</c>.</summary>
    public void Error(YamlNode node, string message) => _errors.Add($"{At(node)}: {What}: {message}");

    /// <summary>Reports a problem with the value of <paramref name="key"/> (or the mapping when the key is absent).</summary>
    public void Error(string key, string message) => _errors.Add($"{At(key)}: {What}: {message}");

    /// <summary>The value node of <paramref name="key"/>, or null; marks the key as known.</summary>
    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    /// <summary>The text of a single value, or null when absent or null; reports lists and mappings.</summary>
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

    /// <summary>A boolean (<c>true</c>/<c>false</c>, also <c>yes</c>/<c>no</c>), or <paramref name="fallback"/> when absent.</summary>
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

    /// <summary>
    /// A number from <paramref name="min"/> to <paramref name="max"/> (above <paramref name="min"/> when
    /// <paramref name="exclusiveMin"/>), or null when absent; a value that is not such a number is
    /// reported with <paramref name="expected"/>.
    /// </summary>
    public double? Number(string key, double min, double max, string expected, bool exclusiveMin = false)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)
            || value < min || value > max || (exclusiveMin && value <= min))
        {
            Error(key, $"'{key}' must be {expected}, not '{text}'");
            return null;
        }

        return value;
    }

    /// <summary>A list of names; a single name counts as a list of one.</summary>
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

    /// <summary>A mapping of names to single values; empty when absent.</summary>
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
    public YamlSection? Mapping(string key, string what)
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

        return new YamlSection(mapping, File, what, _errors);
    }

    /// <summary>The items of a list; each is returned with a section when it is a mapping, else with null.</summary>
    public IEnumerable<(YamlNode Node, YamlSection? Mapping)> MappingList(string key, bool required, string itemWhat)
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
            yield return (item, item is YamlMappingNode m ? new YamlSection(m, File, $"{What} {itemWhat}", _errors) : null);
        }
    }

    /// <summary>Every key with its value node; marks them all as known.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries()
    {
        foreach (var (k, v) in _node.Children)
        {
            var key = KeyName(k);
            _read.Add(key);
            yield return (key, v);
        }
    }

    /// <summary>Reports every key that no getter asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var key in _node.Children.Keys)
        {
            var name = KeyName(key);
            if (!_read.Contains(name))
            {
                var known = string.Join(", ", _read.Order(StringComparer.Ordinal));
                Error(key, $"unknown key '{name}'; expected one of: {known}");
            }
        }
    }

    /// <summary>How a node reads in a message: its value, or "a list" / "a mapping".</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "null",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node?.NodeType.ToString().ToLower(CultureInfo.InvariantCulture) ?? "nothing",
    };

    private static string KeyName(YamlNode key) => key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : key.ToString();

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };
}
