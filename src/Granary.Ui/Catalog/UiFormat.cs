using System.Globalization;
using Granary.Definitions;

namespace Granary.Ui.Catalog;

/// <summary>How the pages write times, spans and values: UTC ISO 8601, invariant culture.</summary>
public static class UiFormat
{
    /// <summary>An instant in UTC to the second: <c>2026-11-30 16:00:00Z</c>.</summary>
    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An instant in UTC to the microsecond when it has a fraction, for event times: <c>2026-11-30 16:00:00.250000Z</c>.</summary>
    public static string ExactTime(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var format = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss'Z'" : "yyyy-MM-dd HH:mm:ss.ffffff'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A span in the largest two units (<c>3d 4h</c>, <c>12m 5s</c>); negative spans say "in the future".</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return Span(-span) + " in the future";
        }

        var parts = new List<string>();
        foreach (var (size, unit) in new[] { (TimeSpan.FromDays(1), "d"), (TimeSpan.FromHours(1), "h"), (TimeSpan.FromMinutes(1), "m"), (TimeSpan.FromSeconds(1), "s") })
        {
            var count = (long)(span.Ticks / size.Ticks);
            if (count > 0 || (parts.Count > 0 && parts.Count < 2))
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count}{unit}"));
                span -= TimeSpan.FromTicks(count * size.Ticks);
            }

            if (parts.Count == 2)
            {
                break;
            }
        }

        return parts.Count == 0 ? "0s" : string.Join(' ', parts.Where((p, i) => i == 0 || p[0] != '0'));
    }

    /// <summary>A ttl: <c>1d</c>, or "no limit" for zero.</summary>
    public static string Ttl(TimeSpan ttl) => ttl == TimeSpan.Zero ? "no limit" : Duration.Format(ttl);

    /// <summary>A feature value as the CLI's table prints it.</summary>
    public static string Value(object? value) => value switch
    {
        null => "null",
        string s => s,
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTimeOffset t => ExactTime(t),
        DateTime t => ExactTime(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Value)) + "]",
        var v => v.ToString() ?? string.Empty,
    };

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
