using System.Globalization;

namespace Granary.Transformations;

/// <summary>
/// The operations that compiled expressions call, one small method each, so that null handling
/// and edge cases live in one place and are the same for online reads and offline batches.
/// Timestamps are microseconds since the Unix epoch (UTC).
/// </summary>
internal static class ExpressionRuntime
{
    public const long MicrosPerSecond = 1_000_000;
    public const long MicrosPerHour = 3_600 * MicrosPerSecond;
    public const long MicrosPerDay = 24 * MicrosPerHour;

    // Arithmetic: division and modulo by zero give null rather than infinity, NaN or an exception.
    public static double? Divide(double? a, double? b) =>
        a.HasValue && b.HasValue && b.GetValueOrDefault() != 0 ? a.GetValueOrDefault() / b.GetValueOrDefault() : null;

    public static int? Modulo(int? a, int? b) =>
        a.HasValue && b.HasValue && b.GetValueOrDefault() != 0
            ? (b.GetValueOrDefault() == -1 ? 0 : a.GetValueOrDefault() % b.GetValueOrDefault())
            : null;

    public static long? Modulo(long? a, long? b) =>
        a.HasValue && b.HasValue && b.GetValueOrDefault() != 0
            ? (b.GetValueOrDefault() == -1 ? 0 : a.GetValueOrDefault() % b.GetValueOrDefault())
            : null;

    public static float? Modulo(float? a, float? b) =>
        a.HasValue && b.HasValue && b.GetValueOrDefault() != 0 ? a.GetValueOrDefault() % b.GetValueOrDefault() : null;

    public static double? Modulo(double? a, double? b) =>
        a.HasValue && b.HasValue && b.GetValueOrDefault() != 0 ? a.GetValueOrDefault() % b.GetValueOrDefault() : null;

    public static int? CompareText(string? a, string? b) =>
        a is null || b is null ? null : Math.Sign(string.CompareOrdinal(a, b));

    // Three-valued logic, as in SQL: false wins for 'and', true wins for 'or'.
    public static bool? And(bool? a, bool? b) =>
        a == false || b == false ? false : (a == true && b == true ? true : null);

    public static bool? Or(bool? a, bool? b) =>
        a == true || b == true ? true : (a == false && b == false ? false : null);

    public static bool? Not(bool? a) => a.HasValue ? !a.GetValueOrDefault() : null;

    // Math. The most negative integer has no absolute value in its type: null.
    public static int? Abs(int? a) => a.HasValue && a.GetValueOrDefault() != int.MinValue ? Math.Abs(a.GetValueOrDefault()) : null;

    public static long? Abs(long? a) => a.HasValue && a.GetValueOrDefault() != long.MinValue ? Math.Abs(a.GetValueOrDefault()) : null;

    public static float? Abs(float? a) => a.HasValue ? Math.Abs(a.GetValueOrDefault()) : null;

    public static double? Abs(double? a) => a.HasValue ? Math.Abs(a.GetValueOrDefault()) : null;

    public static double? Sqrt(double? a) => a.HasValue && !(a.GetValueOrDefault() < 0) ? Math.Sqrt(a.GetValueOrDefault()) : null;

    public static double? Log(double? a) => a.HasValue && !(a.GetValueOrDefault() <= 0) ? Math.Log(a.GetValueOrDefault()) : null;

    public static double? Log1p(double? a)
    {
        if (!a.HasValue || a.GetValueOrDefault() <= -1)
        {
            return null;
        }

        // ln(1 + x) without losing the digits of a small x (Goldberg, "What every computer scientist...").
        var x = a.GetValueOrDefault();
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    public static double? Exp(double? a) => a.HasValue ? Math.Exp(a.GetValueOrDefault()) : null;

    public static double? Pow(double? a, double? b)
    {
        if (!a.HasValue || !b.HasValue)
        {
            return null;
        }

        var result = Math.Pow(a.GetValueOrDefault(), b.GetValueOrDefault());
        return double.IsNaN(result) && !double.IsNaN(a.GetValueOrDefault()) && !double.IsNaN(b.GetValueOrDefault()) ? null : result;
    }

    public static double? Round(double? a) => a.HasValue ? Math.Round(a.GetValueOrDefault(), MidpointRounding.AwayFromZero) : null;

    public static double? Round(double? a, int? digits) =>
        a.HasValue && digits is >= 0 and <= 15 ? Math.Round(a.GetValueOrDefault(), digits.GetValueOrDefault(), MidpointRounding.AwayFromZero) : null;

    public static double? Floor(double? a) => a.HasValue ? Math.Floor(a.GetValueOrDefault()) : null;

    public static double? Ceiling(double? a) => a.HasValue ? Math.Ceiling(a.GetValueOrDefault()) : null;

    public static int? Min(int? a, int? b) => a.HasValue && b.HasValue ? Math.Min(a.GetValueOrDefault(), b.GetValueOrDefault()) : null;

    public static long? Min(long? a, long? b) => a.HasValue && b.HasValue ? Math.Min(a.GetValueOrDefault(), b.GetValueOrDefault()) : null;

    public static float? Min(float? a, float? b) => a.HasValue && b.HasValue ? Math.Min(a.GetValueOrDefault(), b.GetValueOrDefault()) : null;

    public static double? Min(double? a, double? b) => a.HasValue && b.HasValue ? Math.Min(a.GetValueOrDefault(), b.GetValueOrDefault()) : null;

    public static int? Max(int? a, int? b) => a.HasValue && b.HasValue ? Math.Max(a.GetValueOrDefault(), b.GetValueOrDefault()) : null;

    public static long? Max(long? a, long? b) => a.HasValue && b.HasValue ? Math.Max(a.GetValueOrDefault(), b.GetValueOrDefault()) : null;

    public static float? Max(float? a, float? b) => a.HasValue && b.HasValue ? Math.Max(a.GetValueOrDefault(), b.GetValueOrDefault()) : null;

    public static double? Max(double? a, double? b) => a.HasValue && b.HasValue ? Math.Max(a.GetValueOrDefault(), b.GetValueOrDefault()) : null;

    // Strings: UTF-16 code units, ordinal comparison, invariant case mapping.
    public static string? Lower(string? s) => s?.ToLowerInvariant();

    public static string? Upper(string? s) => s?.ToUpperInvariant();

    public static int? Length(string? s) => s?.Length;

    public static string? Concat(string? a, string? b) => a is null || b is null ? null : string.Concat(a, b);

    public static bool? Contains(string? s, string? part) => s is null || part is null ? null : s.Contains(part, StringComparison.Ordinal);

    public static string? Substring(string? s, int? start) => s is null || start is null ? null : Substring(s, start, int.MaxValue);

    public static string? Substring(string? s, int? start, int? length)
    {
        if (s is null || start is not >= 0 || length is not >= 0)
        {
            return null;
        }

        var from = Math.Min(start.GetValueOrDefault(), s.Length);
        var count = (int)Math.Min((long)length.GetValueOrDefault(), s.Length - from);
        return s.Substring(from, count);
    }

    // Time.
    public static int? HourOfDay(long? micros) =>
        micros.HasValue ? (int)FloorMod(FloorDiv(micros.GetValueOrDefault(), MicrosPerHour), 24) : null;

    public static int? DayOfWeek(long? micros) =>
        micros.HasValue ? (int)FloorMod(FloorDiv(micros.GetValueOrDefault(), MicrosPerDay) + 3, 7) + 1 : null; // 1970-01-01 was a Thursday (4)

    public static double? SecondsBetween(long? a, long? b) =>
        a.HasValue && b.HasValue ? (b.GetValueOrDefault() - a.GetValueOrDefault()) / (double)MicrosPerSecond : null;

    // Lookups in constant tables.
    public static double? LookupNumber(Dictionary<string, double> map, string? key) =>
        key is not null && map.TryGetValue(key, out var value) ? value : null;

    public static string? LookupText(Dictionary<string, string> map, string? key) =>
        key is not null && map.TryGetValue(key, out var value) ? value : null;

    // Casts. A float outside the target's range, or NaN, gives null; text that does not parse gives null.
    public static int? ToInt32(long? a) => a is >= int.MinValue and <= int.MaxValue ? (int)a.GetValueOrDefault() : null;

    public static int? ToInt32(double? a) => a is >= -2147483648.0 and < 2147483648.0 ? (int)a.GetValueOrDefault() : null;

    public static int? ToInt32(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static int? ToInt32(bool? b) => b.HasValue ? (b.GetValueOrDefault() ? 1 : 0) : null;

    public static long? ToInt64(double? a) => a is >= -9223372036854775808.0 and < 9223372036854775808.0 ? (long)a.GetValueOrDefault() : null;

    public static long? ToInt64(string? s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static long? ToInt64(bool? b) => b.HasValue ? (b.GetValueOrDefault() ? 1L : 0L) : null;

    public static float? ToFloat32(string? s) => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static float? ToFloat32(bool? b) => b.HasValue ? (b.GetValueOrDefault() ? 1f : 0f) : null;

    public static double? ToFloat64(string? s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static double? ToFloat64(bool? b) => b.HasValue ? (b.GetValueOrDefault() ? 1.0 : 0.0) : null;

    public static bool? ToBool(double? a) => a.HasValue ? a.GetValueOrDefault() != 0 : null;

    public static bool? ToBool(string? s) =>
        string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(s, "false", StringComparison.OrdinalIgnoreCase) ? false
        : null;

    public static string? ToText(int? a) => a?.ToString(CultureInfo.InvariantCulture);

    public static string? ToText(long? a) => a?.ToString(CultureInfo.InvariantCulture);

    public static string? ToText(float? a) => a?.ToString(CultureInfo.InvariantCulture);

    public static string? ToText(double? a) => a?.ToString(CultureInfo.InvariantCulture);

    public static string? ToText(bool? a) => a.HasValue ? (a.GetValueOrDefault() ? "true" : "false") : null;

    public static string? TimestampToText(long? micros) =>
        micros.HasValue ? ToInstant(micros.GetValueOrDefault()).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) : null;

    public static DateTimeOffset ToInstant(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * (TimeSpan.TicksPerMillisecond / 1000));

    public static long ToMicros(DateTimeOffset instant) =>
        FloorDiv((instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks), TimeSpan.TicksPerMillisecond / 1000);

    public static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    private static long FloorMod(long a, long b) => a - (FloorDiv(a, b) * b);
}
