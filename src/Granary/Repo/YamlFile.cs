using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Granary.Repo;

/// <summary>
/// Reads one YAML file of a repo (granary.yaml or a definition file) with the checks YamlDotNet does not make:
/// the bytes must be UTF-8 (a stray Latin-1 byte would otherwise turn silently into U+FFFD inside a name), the
/// nesting may be at most <see cref="MaxDepth"/> levels (YamlDotNet builds nodes recursively, and 100,000
/// nested <c>[</c> overflowed the stack), and a tab in indentation is reported where it is, not where the
/// enclosing mapping starts. Every problem is one line: <c>file:line:column: what</c>.
/// </summary>
internal static class YamlFile
{
    /// <summary>Mappings and sequences nested deeper than this are refused; definitions need fewer than ten.</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Loads the YAML documents of <paramref name="bytes"/>; <paramref name="name"/> is the file as messages show it.</summary>
    /// <exception cref="RepoValidationException">The bytes are not UTF-8 or not well-formed YAML, or nest too deeply.</exception>
    public static YamlStream Load(byte[] bytes, string name)
    {
        var text = Decode(bytes, name);
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(text))));
        }
        catch (YamlException e)
        {
            var (line, column) = e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentingTab(text, e.Start.Line) is { } tab
                ? tab
                : (e.Start.Line, e.Start.Column);
            throw new RepoValidationException($"{name}:{line}:{column}: malformed YAML: {Flatten(e)}");
        }

        return stream;
    }

    /// <summary>Reads <paramref name="path"/> and loads it; a file that cannot be read is one line naming it.</summary>
    /// <exception cref="RepoValidationException">The file cannot be read, or <see cref="Load(byte[], string)"/> refuses it.</exception>
    public static YamlStream Load(string path, string name)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoValidationException($"{name}: cannot be read: {e.Message}");
        }

        return Load(bytes, name);
    }

    private static string Decode(byte[] bytes, string name)
    {
        var start = bytes.AsSpan().StartsWith("\xEF\xBB\xBF"u8) ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            // The decoder's index is not always the bad byte's offset; the first byte that does not decode is.
            var bad = FirstInvalidByte(bytes, start);
            var before = StrictUtf8.GetString(bytes, start, bad - start);
            var line = before.Count(c => c == '\n') + 1;
            var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
            throw new RepoValidationException(
                $"{name}:{line}:{column}: the file is not valid UTF-8 (byte 0x{bytes[bad]:X2}); save it as UTF-8", e);
        }

        // YAML allows no control characters but tab and line breaks; YamlDotNet would cut a scalar at a NUL unnoticed.
        var control = text.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        while (control >= 0 && text[control] is '\t' or '\n' or '\r')
        {
            var next = text.AsSpan(control + 1).IndexOfAnyInRange('\0', '\u001f');
            control = next < 0 ? -1 : control + 1 + next;
        }

        if (control >= 0)
        {
            var before = text[..control];
            var line = before.Count(c => c == '\n') + 1;
            var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
            throw new RepoValidationException($"{name}:{line}:{column}: control character U+{(int)text[control]:X4} in the text; YAML allows only tabs and line breaks");
        }

        return text;
    }

    private static int FirstInvalidByte(byte[] bytes, int start)
    {
        var span = bytes.AsSpan(start);
        var valid = 0;
        while (valid < span.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span[valid..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return start + valid;
            }

            valid += consumed;
        }

        return start + valid;
    }

    /// <summary>The line and column of the first tab among the leading spaces of a line, from <paramref name="fromLine"/> on.</summary>
    private static (long Line, long Column)? FirstIndentingTab(string text, long fromLine)
    {
        var lines = text.Split('\n');
        for (var i = (int)Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var line = lines[i];
            for (var c = 0; c < line.Length && (line[c] == ' ' || line[c] == '\t' || line[c] == '-'); c++)
            {
                if (line[c] == '\t')
                {
                    return (i + 1, c + 1);
                }
            }
        }

        return null;
    }

    private static string Flatten(Exception e)
    {
        var message = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        return message.Replace(Environment.NewLine, " ", StringComparison.Ordinal);
    }

    /// <summary>Passes the parser's events through, failing at the first mapping or sequence deeper than <see cref="MaxDepth"/>.</summary>
    private sealed class DepthLimitedParser(IParser inner) : IParser
    {
        private int _depth;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            switch (inner.Current)
            {
                case SequenceStart or MappingStart when ++_depth > MaxDepth:
                    throw new YamlException(inner.Current.Start, inner.Current.End, $"mappings and lists nest deeper than {MaxDepth} levels");
                case SequenceEnd or MappingEnd:
                    _depth--;
                    break;
            }

            return true;
        }
    }
}
