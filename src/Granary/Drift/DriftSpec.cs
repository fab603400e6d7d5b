using System.Globalization;

namespace Granary.Drift;

/// <summary>
/// One side of a drift comparison as <c>granary drift</c> takes it: <c>source:START..END</c> (the
/// features' source rows in that event-time range), <c>dataset:NAME</c> (a saved dataset) or
/// <c>logs:SERVICE[:START..END]</c> (what a feature service served). Either end of a range may be left
/// empty (<c>source:..2024-01-08</c>); times are ISO-8601, UTC without an offset.
/// </summary>
public abstract record DriftSpec
{
    /// <summary>The spec as written.</summary>
    public required string Text { get; init; }

    /// <summary>Reads a spec; <paramref name="option"/> names the option for messages.</summary>
    /// <exception cref="GranaryException">The text is not one of the three forms.</exception>
    public static DriftSpec Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text : text[..colon];
        var rest = colon < 0 ? string.Empty : text[(colon + 1)..];
        switch (kind)
        {
            case "source":
                var (start, end) = ParseRange(rest, text, option);
                return new SourceDriftSpec { Text = text, Start = start, End = end };
            case "dataset" when rest.Length > 0:
                return new DatasetDriftSpec { Text = text, Name = rest };
            case "logs" when rest.Length > 0:
                var next = rest.IndexOf(':', StringComparison.Ordinal);
                var (from, to) = next < 0 ? (null, null) : ParseRange(rest[(next + 1)..], text, option);
                return new LogsDriftSpec { Text = text, Service = next < 0 ? rest : rest[..next], Start = from, End = to };
            default:
                throw new GranaryException(
                    $"{option}: '{text}' is not a spec; expected source:START..END, dataset:NAME or logs:SERVICE[:START..END], such as source:2024-01-01..2024-01-08");
        }
    }

    private static (DateTimeOffset?, DateTimeOffset?) ParseRange(string range, string text, string option)
    {
        var dots = range.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            throw new GranaryException($"{option}: '{text}' needs a range START..END of ISO-8601 times, either end may be empty, such as 2024-01-01..2024-01-08");
        }

        DateTimeOffset? Time(string part) => part.Length == 0
            ? null
            : DateTimeOffset.TryParse(part, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : throw new GranaryException($"{option}: '{part}' in '{text}' is not a time; expected ISO-8601 such as 2024-01-01T00:00:00Z");
        var (start, end) = (Time(range[..dots]), Time(range[(dots + 2)..]));
        return start > end ? throw new GranaryException($"{option}: '{text}' ends before it starts") : (start, end);
    }
}
