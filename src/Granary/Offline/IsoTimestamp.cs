namespace Granary.Offline;

/// <summary>
/// The ISO-8601 times that entity files may hold, parsed by hand so that the accepted forms are
/// exactly the documented ones: <c>YYYY-MM-DD</c>, optionally followed by <c>T</c> or a space and
/// <c>HH:MM</c>, <c>:SS</c> and a fraction of up to nine digits, optionally followed (after an
/// optional space) by <c>Z</c> or an offset <c>±HH</c>, <c>±HH:MM</c> or <c>±HHMM</c>. Without an
/// offset the time is UTC; a date alone is midnight UTC. Digits beyond the seventh of a fraction are dropped.
/// </summary>
internal static class IsoTimestamp
{
    /// <summary>Parses <paramref name="text"/> as the instant it names, in UTC; false when it is not one of the accepted forms.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset utc)
    {
        utc = default;
        var i = 0;
        if (!Digits(text, ref i, 4, out var year) || !Char(text, ref i, '-') || !Digits(text, ref i, 2, out var month)
            || !Char(text, ref i, '-') || !Digits(text, ref i, 2, out var day))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
        if (i + 1 < text.Length && text[i] is 'T' or 't' or ' ' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            if (!Digits(text, ref i, 2, out var hour) || !Char(text, ref i, ':') || !Digits(text, ref i, 2, out var minute))
            {
                return false;
            }

            var second = 0;
            long fraction = 0;
            if (i < text.Length && text[i] == ':')
            {
                i++;
                if (!Digits(text, ref i, 2, out second))
                {
                    return false;
                }

                if (i < text.Length && text[i] == '.')
                {
                    i++;
                    var digits = 0;
                    var scale = TimeSpan.TicksPerSecond;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        if (++digits > 9)
                        {
                            return false;
                        }

                        scale /= 10;
                        fraction += (text[i] - '0') * scale;
                        i++;
                    }

                    if (digits == 0)
                    {
                        return false;
                    }
                }
            }

            if (hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            ticks += (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + fraction;
        }

        if (i + 1 < text.Length && text[i] == ' ' && text[i + 1] is 'Z' or 'z' or '+' or '-')
        {
            i++;
        }

        if (i < text.Length)
        {
            if (text[i] is 'Z' or 'z')
            {
                i++;
            }
            else if (text[i] is '+' or '-')
            {
                var sign = text[i] == '-' ? -1 : 1;
                i++;
                if (!Digits(text, ref i, 2, out var offsetHours))
                {
                    return false;
                }

                var offsetMinutes = 0;
                if (i < text.Length)
                {
                    var colon = text[i] == ':';
                    if (colon)
                    {
                        i++;
                    }

                    if (!Digits(text, ref i, 2, out offsetMinutes))
                    {
                        return false;
                    }
                }

                if (offsetHours > 23 || offsetMinutes > 59)
                {
                    return false;
                }

                ticks -= sign * ((offsetHours * TimeSpan.TicksPerHour) + (offsetMinutes * TimeSpan.TicksPerMinute));
            }
            else
            {
                return false;
            }
        }

        if (i != text.Length || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, ref int i, int count, out int value)
    {
        value = 0;
        if (i + count > text.Length)
        {
            return false;
        }

        for (var end = i + count; i < end; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }

    private static bool Char(ReadOnlySpan<char> text, ref int i, char expected)
    {
        if (i < text.Length && text[i] == expected)
        {
            i++;
            return true;
        }

        return false;
    }
}
