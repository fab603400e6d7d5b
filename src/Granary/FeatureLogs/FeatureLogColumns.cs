using System.Globalization;
using Granary.Online;

namespace Granary.FeatureLogs;

/// <summary>
/// The columns and files of a served-feature log. One row per entity row of a logged read: the join
/// keys and request fields as the read gave them, per feature <c>{view}__{feature}</c>,
/// <c>{view}__{feature}__timestamp</c> (the served value's event time) and
/// <c>{view}__{feature}__status</c> (Feast's status number, <see cref="StatusCode"/>), then <see cref="LogTimestamp"/>, <see cref="RequestId"/> and
/// <see cref="RegistryVersion"/>. Files go to <c>{folder}/date=YYYY-MM-DD/part-*.parquet</c>; their
/// times are kept to the millisecond (floored), in the log's files and tables alike.
/// </summary>
public static class FeatureLogColumns
{
    /// <summary>The read's time (UTC).</summary>
    public const string LogTimestamp = "__log_timestamp";

    /// <summary>The read's id: the server's request id, or a new one for an in-process read.</summary>
    public const string RequestId = "__request_id";

    /// <summary>The registry version the read was served from.</summary>
    public const string RegistryVersion = "__registry_version";

    /// <summary>The column of a feature's served value: <c>{view}__{feature}</c>.</summary>
    public static string Feature(string view, string feature) => $"{view}__{feature}";

    /// <summary>The column of the served value's event time: <c>{view}__{feature}__timestamp</c>.</summary>
    public static string Timestamp(string featureColumn) => featureColumn + "__timestamp";

    /// <summary>The column of the served value's status: <c>{view}__{feature}__status</c>.</summary>
    public static string Status(string featureColumn) => featureColumn + "__status";

    /// <summary>
    /// A served status as the log holds it: Feast's <c>FieldStatus</c> number, the one its logs and the gRPC
    /// response use (1 <c>PRESENT</c>, 2 <c>NULL_VALUE</c>, 3 <c>NOT_FOUND</c>, 4 <c>OUTSIDE_MAX_AGE</c>; 0 is
    /// Feast's <c>INVALID</c>, never written). A 32-bit integer is written five times faster than the name.
    /// </summary>
    public static int StatusCode(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => 1,
        FeatureStatus.NullValue => 2,
        FeatureStatus.NotFound => 3,
        FeatureStatus.OutsideMaxAge => 4,
        _ => 0,
    };

    /// <summary>The partition folder of a day: <c>date=YYYY-MM-DD</c>.</summary>
    public static string DateFolder(DateOnly date) => "date=" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The log files under <paramref name="folder"/> whose day may hold rows from <paramref name="start"/>
    /// to <paramref name="end"/> (either open), in day then name order; none when the folder does not exist.
    /// </summary>
    public static IReadOnlyList<string> Files(string folder, DateTimeOffset? start, DateTimeOffset? end)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var first = start is { } s ? DateOnly.FromDateTime(s.UtcDateTime) : DateOnly.MinValue;
        var last = end is { } e ? DateOnly.FromDateTime(e.UtcDateTime) : DateOnly.MaxValue;
        var files = new List<(DateOnly Day, string Path)>();
        foreach (var day in Directory.EnumerateDirectories(folder, "date=*"))
        {
            if (DateOnly.TryParseExact(Path.GetFileName(day)["date=".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && date >= first && date <= last)
            {
                files.AddRange(Directory.EnumerateFiles(day, "*.parquet").Select(f => (date, f)));
            }
        }

        return files.OrderBy(f => f.Day).ThenBy(f => f.Path, StringComparer.Ordinal).Select(f => f.Path).ToArray();
    }
}
