using System.Text;
using System.Text.Json;
using Granary.Online;

namespace Granary.Statistics;

/// <summary>Small pieces every report's JSON writer shares: times as ISO-8601 UTC, numbers that may be missing, a document to a string.</summary>
public static class ReportJson
{
    /// <summary>Writes <paramref name="write"/>'s document as an indented UTF-8 string.</summary>
    public static string Serialize(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A time, or null.</summary>
    public static void Time(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (time is { } t)
        {
            writer.WriteString(name, OnlineResponseJson.FormatTime(t));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A number, or null (also for NaN and infinities, which JSON has no numbers for).</summary>
    public static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The features a report left out: <c>[{"feature", "reason"}]</c>.</summary>
    public static void Skipped(Utf8JsonWriter writer, IReadOnlyList<SkippedFeature> skipped)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(skipped);
        writer.WriteStartArray("skipped");
        foreach (var feature in skipped)
        {
            writer.WriteStartObject();
            writer.WriteString("feature", feature.Feature);
            writer.WriteString("reason", feature.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
