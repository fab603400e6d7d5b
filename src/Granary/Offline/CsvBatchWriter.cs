using System.Collections;
using System.Globalization;
using System.Text;
using Apache.Arrow;

namespace Granary.Offline;

/// <summary>
/// Writes Arrow batches as CSV in the form DuckDB's offline store writes: a header, ISO-8601 UTC
/// times with six fractional digits and a Z, empty fields for nulls, quotes only where needed.
/// </summary>
internal static class CsvBatchWriter
{
    public static async Task WriteAsync(Stream stream, IReadOnlyList<string> names, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync(string.Join(",", names.Select(Quote)).AsMemory(), cancellationToken).ConfigureAwait(false);
        var line = new StringBuilder();
        await foreach (var batch in batches.ConfigureAwait(false))
        {
            for (var row = 0; row < batch.Length; row++)
            {
                line.Clear();
                for (var column = 0; column < batch.ColumnCount; column++)
                {
                    if (column > 0)
                    {
                        line.Append(',');
                    }

                    line.Append(Format(ArrowBatches.GetValue(batch.Column(column), row)));
                }

                line.Append('\n');
                await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Quote(Escape(bytes)),
        string s => Quote(s),
        IList list => Quote("[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? string.Empty),
    };

    /// <summary>Bytes as DuckDB prints a blob: printable ASCII as is, other bytes as <c>\xHH</c>.</summary>
    private static string Escape(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7f and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
            }
        }

        return text.ToString();
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
