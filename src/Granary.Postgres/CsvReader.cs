using System.Text;

namespace Granary.Postgres;

/// <summary>
/// A streaming RFC 4180 reader: comma-separated fields, double quotes around fields that hold
/// commas, quotes or line breaks, <c>""</c> for a quote inside them. An empty unquoted field is null.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly StringBuilder _field = new();
    private readonly List<string?> _fields = [];
    private long _lines;

    public CsvReader(TextReader reader)
    {
        _reader = reader;
    }

    /// <summary>The line the last record started on, for messages.</summary>
    public long Line { get; private set; }

    /// <summary>The next record's fields, or null at the end of the input. Blank lines are skipped.</summary>
    public async Task<string?[]?> ReadRecordAsync(CancellationToken cancellationToken)
    {
        string? line;
        do
        {
            line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            _lines++;
            if (line is null)
            {
                return null;
            }
        }
        while (line.Length == 0);

        Line = _lines;
        _fields.Clear();
        var quoted = false;
        var inQuotes = false;
        while (true)
        {
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (inQuotes)
                {
                    if (c != '"')
                    {
                        _field.Append(c);
                    }
                    else if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        _field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else if (c == '"' && _field.Length == 0 && !quoted)
                {
                    inQuotes = quoted = true;
                }
                else if (c == ',')
                {
                    _fields.Add(Take(quoted));
                    quoted = false;
                }
                else
                {
                    _field.Append(c);
                }
            }

            if (!inQuotes)
            {
                _fields.Add(Take(quoted));
                return _fields.ToArray();
            }

            // A quoted field spans lines: the line break is part of the value.
            line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new GranaryException($"line {Line}: a quoted field is not closed before the end of the file");
            _lines++;
            _field.Append('\n');
        }
    }

    private string? Take(bool quoted)
    {
        var value = _field.Length == 0 && !quoted ? null : _field.ToString();
        _field.Clear();
        return value;
    }

    public void Dispose() => _reader.Dispose();
}
