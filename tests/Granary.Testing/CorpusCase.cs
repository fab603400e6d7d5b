using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Granary.Testing;

/// <summary>
/// One case of the bad-input corpus (<c>tests/corpus/</c>, described in its README): header lines <c># key: value</c>,
/// a line <c>---</c>, then the content, byte for byte. Adding a case is adding a file.
/// </summary>
public sealed partial class CorpusCase
{
    private const string Separator = "---\n";

    private CorpusCase(string name, IReadOnlyDictionary<string, string> header, byte[] content)
    {
        Name = name;
        Header = header;
        Content = content;
    }

    /// <summary>The case's path under <c>tests/corpus/cases/</c>, without the extension: its name in test results.</summary>
    public string Name { get; }

    /// <summary>The header's keys and values.</summary>
    public IReadOnlyDictionary<string, string> Header { get; }

    /// <summary>The content after the separator, with <c>{{repeat N text}}</c> expanded when the header says <c>expand: yes</c>.</summary>
    public byte[] Content { get; }

    /// <summary>The corpus folder of the checkout.</summary>
    public static string Folder => Path.Combine(RepositoryRoot.Path, "tests", "corpus");

    /// <summary>A required header value.</summary>
    public string this[string key] =>
        Header.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"corpus case {Name} has no '# {key}:' line");

    /// <summary>An optional header value.</summary>
    public string? Get(string key) => Header.GetValueOrDefault(key);

    /// <summary>The header value as a number.</summary>
    public int Number(string key) => int.Parse(this[key], CultureInfo.InvariantCulture);

    /// <summary>Every case whose header has <paramref name="key"/>, in name order, as xunit theory rows of the case name.</summary>
    public static IEnumerable<object[]> NamesWith(string key) =>
        All().Where(c => c.Header.ContainsKey(key)).Select(c => new object[] { c.Name });

    /// <summary>The case of that name.</summary>
    public static CorpusCase Load(string name) => Parse(name, File.ReadAllBytes(Path.Combine(Folder, "cases", name + ".case")));

    /// <summary>Every case of the corpus.</summary>
    public static IEnumerable<CorpusCase> All()
    {
        var cases = Path.Combine(Folder, "cases");
        return Directory.EnumerateFiles(cases, "*.case", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(cases, f)[..^".case".Length].Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(Load);
    }

    private static CorpusCase Parse(string name, byte[] bytes)
    {
        var end = IndexOf(bytes, "\n" + Separator);
        if (!bytes.AsSpan().StartsWith("#"u8) || end < 0)
        {
            throw new InvalidDataException($"corpus case {name}: expected '# key: value' lines, then a line '---', then the content");
        }

        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
        {
            var match = HeaderLine().Match(line);
            if (match.Success)
            {
                header[match.Groups[1].Value] = match.Groups[2].Value.Trim();
            }
        }

        var content = bytes[(end + 1 + Separator.Length)..];
        if (header.GetValueOrDefault("expand") == "yes")
        {
            content = Encoding.UTF8.GetBytes(Repeat().Replace(
                Encoding.UTF8.GetString(content),
                m => string.Concat(Enumerable.Repeat(m.Groups[2].Value, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))));
        }

        return new CorpusCase(name, header, content);
    }

    private static int IndexOf(byte[] bytes, string text)
    {
        var needle = Encoding.ASCII.GetBytes(text);
        return bytes.AsSpan().IndexOf(needle);
    }

    public override string ToString() => Name;

    [GeneratedRegex(@"^#\s*([a-z_-]+):\s?(.*)$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"\{\{repeat (\d+) (.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Repeat();
}
