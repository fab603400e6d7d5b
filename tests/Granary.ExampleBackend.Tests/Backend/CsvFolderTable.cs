using Granary.Definitions;
using Granary.Online;
using Granary.Repo;
using nietras.SeparatedValues;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>
/// The rows of a <see cref="CsvFolderSource"/>, read whole: every <c>*.csv</c> file of its folder in
/// name order, each value parsed as its column's dtype (an empty field is null). The files are read
/// the way <see cref="Offline.ArrowFileWriter"/> writes CSV, so rows a push appended read back as written.
/// </summary>
internal sealed class CsvFolderTable
{
    private static readonly SepReaderOptions Options = new(new Sep(',')) { HasHeader = false, DisableColCountCheck = true, Unescape = true };

    private readonly Dictionary<string, int> _indexes;

    private CsvFolderTable(CsvFolderSource source, List<object?[]> rows)
    {
        Source = source;
        Rows = rows;
        _indexes = source.Schema.Select((c, i) => (c.Name, i)).ToDictionary(c => c.Name, c => c.i, StringComparer.Ordinal);
    }

    /// <summary>The source the rows belong to.</summary>
    public CsvFolderSource Source { get; }

    /// <summary>The rows, each with one value per column of <see cref="CsvFolderSource.Schema"/>, in schema order.</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>The folder of <paramref name="source"/> as an absolute path inside the repo.</summary>
    /// <exception cref="GranaryException">The folder is absolute or leaves the repo.</exception>
    public static string FolderOf(string repoPath, CsvFolderSource source) =>
        RepoPaths.Resolve(repoPath, source.Folder, $"{CsvFolderSource.KindName} '{source.Name}' folder");

    /// <summary>Reads every file of the source's folder.</summary>
    /// <exception cref="GranaryException">
    /// The folder does not exist, a header does not name the declared columns, or a value is not of its
    /// column's type; the message names the file and line.
    /// </exception>
    public static async Task<CsvFolderTable> ReadAsync(string repoPath, CsvFolderSource source, CancellationToken cancellationToken)
    {
        var folder = FolderOf(repoPath, source);
        if (!Directory.Exists(folder))
        {
            throw new GranaryException($"folder '{source.Folder}' does not exist");
        }

        var rows = new List<object?[]>();
        foreach (var file in Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(repoPath, file);
            using var reader = await Options.FromAsync(File.OpenText(file), cancellationToken).ConfigureAwait(false);
            int[]? positions = null;
            while (await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = reader.Current;
                if (row.ColCount == 1 && row[0].Span.IsEmpty)
                {
                    continue; // a blank line
                }

                // Sep numbers the first row one line late when it reads without a header.
                var line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
                var fields = new string[row.ColCount];
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = row[i].ToString();
                }

                if (positions is null)
                {
                    positions = Header(source, name, fields);
                    continue;
                }

                if (fields.Length != positions.Length)
                {
                    throw new GranaryException($"{name}:{line}: {fields.Length} fields, but the header (line 1) has {positions.Length}");
                }

                var values = new object?[source.Schema.Count];
                for (var i = 0; i < fields.Length; i++)
                {
                    var column = source.Schema[positions[i]];
                    values[positions[i]] = fields[i].Length == 0 ? null : Parse(fields[i], column, $"{name}:{line}");
                }

                rows.Add(values);
            }
        }

        return new CsvFolderTable(source, rows);
    }

    /// <summary>The position in <see cref="CsvFolderSource.Schema"/> of the source column <paramref name="column"/>.</summary>
    /// <exception cref="GranaryException">The source declares no such column.</exception>
    public int IndexOf(string column) =>
        _indexes.TryGetValue(column, out var index)
            ? index
            : throw new GranaryException($"{CsvFolderSource.KindName} '{Source.Name}' has no column '{column}'; its columns are {string.Join(", ", Source.Schema.Select(c => c.Name))}");

    /// <summary>For each header field, the position of its column in the schema; the header must name each declared column once.</summary>
    private static int[] Header(CsvFolderSource source, string file, string[] names)
    {
        var positions = names.Select(n => source.Schema.ToList().FindIndex(c => c.Name == n)).ToArray();
        var unknown = names.Where((n, i) => positions[i] < 0).ToArray();
        var missing = source.Schema.Select(c => c.Name).Except(names, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0 || missing.Length > 0 || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new GranaryException(
                $"{file}:1: the header names {string.Join(", ", names)}; expected each column of {CsvFolderSource.KindName} '{source.Name}' once: " +
                string.Join(", ", source.Schema.Select(c => c.Name)));
        }

        return positions;
    }

    /// <summary>The text as the column's type, by the core's rules for text values (<see cref="FeatureValues.Convert"/>).</summary>
    private static object? Parse(string text, Field column, string where)
    {
        try
        {
            return FeatureValues.Convert(text, column.Dtype, column.Name);
        }
        catch (GranaryException e)
        {
            throw new GranaryException($"{where}: column '{column.Name}' is {column.Dtype}, but '{text}' is not", e);
        }
    }
}
