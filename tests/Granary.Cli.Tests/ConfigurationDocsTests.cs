using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Granary.Repo;
using Granary.Testing;

namespace Granary.Cli.Tests;

/// <summary>
/// docs/configuration.md documents every granary.yaml key the CLI reads: each <see cref="YamlKeyAttribute"/>
/// of every options class of every library under src/ appears in the table of its section, and the
/// tables name no key that nothing reads. Adding a key without documenting it fails here.
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    /// <summary>Keys read without an options class: the SQL registry's dialect (by the registry factory) and the server's API keys (a list).</summary>
    private static readonly Dictionary<string, string[]> ReadByHand = new(StringComparer.Ordinal)
    {
        ["registry"] = ["dialect"],
        ["feature_server"] = ["api_keys"],
    };

    /// <summary>The section of granary.yaml an options class binds, by the name every options class of a section has.</summary>
    private static readonly (string Suffix, string Section)[] Sections =
    [
        ("RegistryOptions", "registry"),
        ("OfflineStoreOptions", "offline_store"),
        ("OnlineStoreOptions", "online_store"),
        ("ServerOptions", "feature_server"),
    ];

    [Fact]
    public void ConfigurationDocs_EveryYamlKeyOfEveryOptionsClass_IsInTheTableOfItsSection()
    {
        var documented = DocumentedKeys();

        var missing = OptionsKeys()
            .Where(k => !documented.TryGetValue(k.Section, out var keys) || !keys.Contains(k.Key))
            .Select(k => $"{k.Section}.{k.Key} ({k.Options})")
            .ToArray();

        Assert.True(missing.Length == 0, $"docs/configuration.md does not document: {string.Join(", ", missing)}");
    }

    [Fact]
    public void ConfigurationDocs_EveryDocumentedKey_IsReadBySomething()
    {
        var read = OptionsKeys().Select(k => (k.Section, k.Key))
            .Concat(ReadByHand.SelectMany(s => s.Value.Select(k => (Section: s.Key, Key: k))))
            .ToHashSet();

        var stale = DocumentedKeys().SelectMany(s => s.Value.Where(k => !read.Contains((s.Key, k))).Select(k => $"{s.Key}.{k}")).ToArray();

        Assert.True(stale.Length == 0, $"docs/configuration.md documents keys nothing reads: {string.Join(", ", stale)}");
    }

    [Fact]
    public void OptionsKeys_EverySection_HasKeysFromALibrary()
    {
        // Guards the discovery itself: an empty list would make the tests above pass vacuously.
        var sections = OptionsKeys().Select(k => k.Section).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Sections.Select(s => s.Section).Order(StringComparer.Ordinal), sections.Order(StringComparer.Ordinal));
    }

    /// <summary>Every key of every concrete options class in the libraries under src/ (each must be referenced by this project).</summary>
    private static List<(string Section, string Key, string Options)> OptionsKeys()
    {
        var keys = new List<(string, string, string)>();
        foreach (var assembly in Libraries())
        {
            foreach (var type in assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
            {
                var bound = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Select(p => p.GetCustomAttribute<YamlKeyAttribute>()?.Key)
                    .OfType<string>()
                    .ToArray();
                if (bound.Length == 0)
                {
                    continue;
                }

                var section = Sections.FirstOrDefault(s => type.Name.EndsWith(s.Suffix, StringComparison.Ordinal)).Section
                    ?? throw new InvalidOperationException(
                        $"{type.FullName} binds granary.yaml keys, but its name does not say which section: end it in {string.Join(", ", Sections.Select(s => s.Suffix))}");
                keys.AddRange(bound.Select(key => (section, key, type.Name)));
            }
        }

        return keys;
    }

    /// <summary>The library (not executable) projects under src/, loaded from this test's output.</summary>
    private static IEnumerable<Assembly> Libraries()
    {
        foreach (var project in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (XDocument.Load(project).Descendants("OutputType").Any(e => e.Value == "Exe"))
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(project);
            Assembly assembly;
            try
            {
                assembly = Assembly.Load(new AssemblyName(name));
            }
            catch (FileNotFoundException e)
            {
                throw new InvalidOperationException($"{name} is not referenced by Granary.Cli.Tests, so its options cannot be checked: add a ProjectReference", e);
            }

            yield return assembly;
        }
    }

    /// <summary>Per <c>## section</c> of docs/configuration.md, the keys named in the <c>key</c> column of its table.</summary>
    private static Dictionary<string, HashSet<string>> DocumentedKeys()
    {
        var documented = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        HashSet<string>? keys = null;
        var keyColumn = -1;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                keys = documented[line[3..].Trim()] = new HashSet<string>(StringComparer.Ordinal);
                keyColumn = -1;
            }
            else if (keys is not null && line.StartsWith('|'))
            {
                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (keyColumn < 0)
                {
                    keyColumn = Array.IndexOf(cells, "key");
                }
                else if (keyColumn < cells.Length)
                {
                    keys.UnionWith(Code().Matches(cells[keyColumn]).Select(m => m.Groups[1].Value));
                }
            }
        }

        return documented;
    }

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex Code();
}
