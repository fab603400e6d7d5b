using System.Globalization;
using System.Text;

namespace Granary.Definitions;

/// <summary>Parses and formats durations written as <c>1d12h</c>: units s, m, h, d, w, combinable.</summary>
public static class Duration
{
    /// <summary>Parses a duration; <c>0</c> is zero. Returns false for anything else.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text == "0")
        {
            return true;
        }

        long seconds = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i == text.Length)
            {
                return false;
            }

            if (!long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            long unit = text[i] switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                'w' => 604800,
                _ => 0,
            };
            if (unit == 0)
            {
                return false;
            }

            i++;
            try
            {
                seconds = checked(seconds + checked(amount * unit));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        if (seconds > (long)TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Formats a duration in the same notation, largest units first (<c>1d12h</c>); zero is <c>0</c>.</summary>
    public static string Format(TimeSpan value)
    {
        var seconds = (long)value.TotalSeconds;
        if (seconds == 0)
        {
            return "0";
        }

        var text = new StringBuilder();
        foreach (var (unit, size) in new[] { ('w', 604800L), ('d', 86400L), ('h', 3600L), ('m', 60L), ('s', 1L) })
        {
            if (seconds >= size)
            {
                text.Append(CultureInfo.InvariantCulture, $"{seconds / size}{unit}");
                seconds %= size;
            }
        }

        return text.ToString();
    }
}
