using System.Reflection;
using System.Text;
using Granary.Definitions;

namespace Granary.Ui.Catalog;

/// <summary>
/// The settings a kind of data source adds to those every source has (a file source's <c>path</c>,
/// a PostgreSQL source's <c>table</c> or <c>query</c>), read from the source's own record type so
/// that a kind a backend brings shows without the UI knowing it.
/// </summary>
public static class SourceFacts
{
    /// <summary>The kind's own settings as YAML keys and their values, in declaration order; unset ones left out.</summary>
    public static IReadOnlyList<(string Key, string Value)> Of(DataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var facts = new List<(string, string)>();
        for (var type = source.GetType(); type is not null && type != typeof(DataSource); type = type.BaseType)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (property.Name == nameof(Definition.Kind) || property.GetIndexParameters().Length > 0)
                {
                    continue;
                }

                var value = property.GetValue(source);
                if (value is not null && UiFormat.Value(value) is { Length: > 0 } text)
                {
                    facts.Add((SnakeCase(property.Name), text));
                }
            }
        }

        return facts;
    }

    /// <summary><c>BatchSource</c> as <c>batch_source</c>, the way YAML keys are written.</summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
