using System.Collections;
using Granary.Definitions;
using Granary.FeatureLogs;

namespace Granary.Skew;

/// <summary>The one rule of when a served value equals an offline one, and of which cause a difference counts as.</summary>
internal static class SkewValues
{
    public const string ValueDiffers = "value_differs";
    public const string StaleOnline = "stale_online";
    public const string OnlineOnly = "online_only";
    public const string OfflineOnly = "offline_only";

    /// <summary>
    /// Both null, or the same value: floats within a relative 1e-9 (NaN equals NaN), times to the
    /// millisecond (logs keep milliseconds), lists by their JSON text (as logs keep them).
    /// </summary>
    public static bool Equal(object? online, object? offline, DataType type)
    {
        if (online is null || offline is null)
        {
            return online is null && offline is null;
        }

        if (type.IsList)
        {
            return Equals(AsLogged(online, type), AsLogged(offline, type));
        }

        return type.Scalar switch
        {
            ScalarType.Float32 or ScalarType.Float64 => Close(Convert.ToDouble(online, null), Convert.ToDouble(offline, null)),
            ScalarType.Int32 or ScalarType.Int64 => Convert.ToInt64(online, null) == Convert.ToInt64(offline, null),
            ScalarType.UnixTimestamp => Milliseconds((DateTimeOffset)online) == Milliseconds((DateTimeOffset)offline),
            ScalarType.Bytes => ((byte[])online).AsSpan().SequenceEqual((byte[])offline),
            _ => Equals(online, offline),
        };
    }

    /// <summary>The cause of a difference (the values are not <see cref="Equal"/>).</summary>
    public static string Cause(object? online, object? offline, DateTimeOffset? onlineTime, DateTimeOffset? offlineTime) =>
        (online, offline) switch
        {
            (not null, null) => OnlineOnly,
            (null, _) => OfflineOnly,
            _ when onlineTime is { } served && offlineTime is { } picked && Milliseconds(served) < Milliseconds(picked) => StaleOnline,
            _ => ValueDiffers,
        };

    /// <summary>One row's term of the SMAPE, or null when it does not count (not numeric, or a value missing).</summary>
    public static double? SmapeTerm(object? online, object? offline, DataType type)
    {
        if (online is null || offline is null || type.IsList || type.Scalar is not (ScalarType.Int32 or ScalarType.Int64 or ScalarType.Float32 or ScalarType.Float64))
        {
            return null;
        }

        return SmapeTerm(Convert.ToDouble(online, null), Convert.ToDouble(offline, null));
    }

    /// <summary>The SMAPE term of two present numbers, or null when either is not finite.</summary>
    public static double? SmapeTerm(double a, double b)
    {
        var scale = (Math.Abs(a) + Math.Abs(b)) / 2;
        return !double.IsFinite(a) || !double.IsFinite(b) ? null : scale == 0 ? 0 : Math.Abs(a - b) / scale;
    }

    /// <summary>A list value as logs keep it, JSON text; a value read from a log is that text already.</summary>
    private static object? AsLogged(object value, DataType type) => value is string ? value : FeatureLogLayout.Stored(value, type);

    /// <summary>An instant as a log keeps it: milliseconds since the epoch, floored (also before 1970).</summary>
    public static long Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Two present floats are equal: within a relative 1e-9, NaN equal to NaN.</summary>
    public static bool Close(double a, double b) =>
        a.Equals(b) || Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));

    /// <summary>A value as examples show it: lists as arrays.</summary>
    public static object? Shown(object? value) => value is IEnumerable and not string and not byte[] ? ((IEnumerable)value).Cast<object?>().ToArray() : value;
}
