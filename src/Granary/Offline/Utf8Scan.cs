using System.Buffers;
using System.Text;

namespace Granary.Offline;

/// <summary>
/// Finds where a file stops being UTF-8, for the message of a reader that failed to decode it: a
/// decoder only knows its buffer, the user needs the line.
/// </summary>
internal static class Utf8Scan
{
    /// <summary>The first byte that is not part of valid UTF-8, with its line and character (both from 1); null when the file is valid.</summary>
    public static async Task<(long Line, long Character, byte Byte)?> FindInvalidAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        var kept = 0;
        long line = 1;
        long character = 1;
        var start = true;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(kept), cancellationToken).ConfigureAwait(false);
            var length = kept + read;
            var final = read == 0;
            var position = 0;
            if (start && length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                position = 3;
            }

            start = false;
            while (position < length)
            {
                var status = Rune.DecodeFromUtf8(buffer.AsSpan(position, length - position), out var rune, out var consumed);
                if (status == OperationStatus.Done)
                {
                    if (rune.Value == '\n')
                    {
                        line++;
                        character = 1;
                    }
                    else
                    {
                        character++;
                    }

                    position += consumed;
                }
                else if (status == OperationStatus.NeedMoreData && !final)
                {
                    break;
                }
                else
                {
                    return (line, character, buffer[position]);
                }
            }

            if (final)
            {
                return null;
            }

            kept = length - position;
            buffer.AsSpan(position, kept).CopyTo(buffer);
        }
    }
}
