using System.Text;
using nietras.SeparatedValues;

namespace Granary.Offline;

/// <summary>
/// The rows of a CSV entity file as Sep parses them, with the rules of <see cref="EntityFileReader"/>
/// that Sep leaves to its caller: strict UTF-8, blank lines skipped, quotes checked and removed,
/// and errors that name the file and line.
/// </summary>
internal sealed class CsvRows : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Sep's own header handling and column-count check throw messages without the file name; the
    // header and widths are checked here instead. Quotes are removed here too, so that a quote
    // that is not closed is reported rather than read past.
    private static readonly SepReaderOptions Options = new(new Sep(',')) { HasHeader = false, DisableColCountCheck = true };

    private readonly SepReader _reader;
    private char[] _scratch = new char[256];

    private CsvRows(string path, SepReader reader)
    {
        Path = path;
        _reader = reader;
    }

    /// <summary>The file's path, for messages.</summary>
    public string Path { get; }

    /// <summary>The line the current row starts on (from 1).</summary>
    /// <remarks>Sep numbers the first row one line late when it reads without a header; it starts the file.</remarks>
    public int Line => _reader.Current.RowIndex == 0 ? 1 : _reader.Current.LineNumberFrom;

    /// <summary>The number of fields of the current row.</summary>
    public int FieldCount => _reader.Current.ColCount;

    public static async Task<CsvRows> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var text = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions
        {
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 1 << 16,
        });
        try
        {
            return new CsvRows(path, await Options.FromAsync(text, cancellationToken).ConfigureAwait(false));
        }
        catch (DecoderFallbackException)
        {
            text.Dispose();
            throw await NotUtf8Async(path, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next row that is not blank; false at the end of the file.</summary>
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!IsBlank())
                {
                    return true;
                }
            }

            return false;
        }
        catch (DecoderFallbackException)
        {
            throw await NotUtf8Async(Path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The value of field <paramref name="index"/> of the current row without its quotes; false for
    /// an empty field (null). The span is valid until the next call.
    /// </summary>
    public bool TryGetValue(int index, string columnName, out ReadOnlySpan<char> value)
    {
        var raw = _reader.Current[index].Span;
        if (raw.IsEmpty)
        {
            value = default;
            return false;
        }

        if (raw[0] != '"')
        {
            if (raw.Contains('"'))
            {
                throw Error(Line, index, columnName,
                    "a quote inside an unquoted value; quote the whole value and double the quotes inside it, such as \"5\"\" tall\"");
            }

            value = raw;
            return true;
        }

        if (raw.Length < 2 || raw[^1] != '"')
        {
            throw Error(Line, index, columnName, "a quoted value is not closed; end it with a quote, and double the quotes inside it");
        }

        var inner = raw[1..^1];
        var quote = inner.IndexOf('"');
        if (quote < 0)
        {
            value = inner;
            return !value.IsEmpty;
        }

        if (_scratch.Length < inner.Length)
        {
            _scratch = new char[Math.Max(inner.Length, _scratch.Length * 2)];
        }

        var length = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '"')
            {
                if (i + 1 >= inner.Length || inner[i + 1] != '"')
                {
                    throw Error(Line, index, columnName,
                        "a quote inside a quoted value must be doubled (\"\"), or the value ends early");
                }

                i++;
            }

            _scratch[length++] = inner[i];
        }

        value = _scratch.AsSpan(0, length);
        return true;
    }

    /// <summary>Checks that the current row has as many fields as the header.</summary>
    public void CheckWidth(IReadOnlyList<string> header, int headerLine)
    {
        var count = FieldCount;
        if (count != header.Count)
        {
            var hint = count > header.Count ? "; quote a value that holds a comma, such as \"a, b\"" : string.Empty;
            throw new GranaryException(
                $"entity file '{Path}' line {Line}: {count} field{(count == 1 ? string.Empty : "s")}, but the header (line {headerLine}) has {header.Count}: {string.Join(", ", header)}{hint}");
        }
    }

    /// <summary>An error at a line (and a field, when <paramref name="index"/> is not negative) of the file.</summary>
    public GranaryException Error(int line, int index, string? columnName, string message)
    {
        var where = index < 0 ? $"line {line}" : $"line {line}, column {index + 1}{(string.IsNullOrEmpty(columnName) ? string.Empty : $" ({columnName})")}";
        return new GranaryException($"entity file '{Path}' {where}: {message}");
    }

    public void Dispose() => _reader.Dispose();

    private bool IsBlank()
    {
        var row = _reader.Current;
        return row.ColCount == 1 && row[0].Span.IsEmpty;
    }

    private static async Task<GranaryException> NotUtf8Async(string path, CancellationToken cancellationToken)
    {
        var invalid = await Utf8Scan.FindInvalidAsync(path, cancellationToken).ConfigureAwait(false);
        return invalid is { } at
            ? new GranaryException($"entity file '{path}' line {at.Line}, character {at.Character}: byte 0x{at.Byte:X2} is not UTF-8; save the file as UTF-8")
            : new GranaryException($"entity file '{path}' is not UTF-8; save the file as UTF-8");
    }
}
