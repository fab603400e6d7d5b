using System.Globalization;
using System.Text;
using Granary.Definitions;

namespace Granary.Conformance;

/// <summary>A small typed table that a backend fixture turns into a source (a file, a database table).</summary>
public sealed record TestTable(IReadOnlyList<(string Name, DataType Type)> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>Builds a table from column specs such as <c>("driver_id", "int64")</c>.</summary>
    public static TestTable Of(IEnumerable<(string Name, string Type)> columns, params object?[][] rows) =>
        new(columns.Select(c => (c.Name, DataType.Parse(c.Type))).ToArray(), rows);

    /// <summary>Renders the table as CSV text: ISO-8601 UTC times with a Z, empty fields for nulls.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", Columns.Select(c => c.Name)));
        foreach (var row in Rows)
        {
            text.AppendLine(string.Join(",", row.Select(Format)));
        }

        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
