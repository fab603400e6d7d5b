using System.Globalization;
using System.Text.Json;

namespace Granary.Online;

/// <summary>
/// Writes an <see cref="OnlineResponse"/> as the body of Feast's <c>POST /get-online-features</c>:
/// <c>metadata.feature_names</c>, then <c>results[i]</c> with <c>values</c>, <c>statuses</c> and
/// <c>event_timestamps</c> of column i across the entity rows. The CLI and the feature server share it.
/// </summary>
public static class OnlineResponseJson
{
    /// <summary>Feast's event time for values without one (join keys, rows not found).</summary>
    public const string NoTimestamp = "1970-01-01T00:00:00Z";

    /// <summary>Writes the response to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, OnlineResponse response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        writer.WriteStartArray("feature_names");
        foreach (var name in response.FeatureNames)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("results");
        foreach (var column in response.Results)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("values");
            foreach (var value in column.Values)
            {
                WriteValue(writer, value);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("statuses");
            foreach (var status in column.Statuses)
            {
                writer.WriteStringValue(EncodedStatuses[(int)status]);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("event_timestamps");
            foreach (var time in column.EventTimestamps)
            {
                WriteTime(writer, time);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Statuses by enum value, escaped once: a response writes one per value.</summary>
    private static readonly JsonEncodedText[] EncodedStatuses =
        Enum.GetValues<FeatureStatus>().Select(s => JsonEncodedText.Encode(StatusName(s))).ToArray();

    private static readonly JsonEncodedText EncodedNoTimestamp = JsonEncodedText.Encode(NoTimestamp);

    /// <summary>
    /// Writes a time exactly as <see cref="FormatTime"/> formats it, straight into UTF-8 without a
    /// string: a response writes one per value.
    /// </summary>
    private static void WriteTime(Utf8JsonWriter writer, DateTimeOffset? time)
    {
        if (time is not { } t)
        {
            writer.WriteStringValue(EncodedNoTimestamp);
            return;
        }

        var utc = t.UtcDateTime;
        Span<byte> text = stackalloc byte[28];
        utc.TryFormat(text, out var length, "s", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text[length++] = (byte)'.';
            for (var unit = TimeSpan.TicksPerSecond / 10; fraction != 0; unit /= 10)
            {
                text[length++] = (byte)('0' + (fraction / unit));
                fraction %= unit;
            }
        }

        text[length++] = (byte)'Z';
        writer.WriteStringValue(text[..length]);
    }

    /// <summary>The response as an indented JSON string.</summary>
    public static string Serialize(OnlineResponse response, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, response);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Feast's name for a status, such as <c>OUTSIDE_MAX_AGE</c>.</summary>
    public static string StatusName(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => "PRESENT",
        FeatureStatus.NullValue => "NULL_VALUE",
        FeatureStatus.NotFound => "NOT_FOUND",
        FeatureStatus.OutsideMaxAge => "OUTSIDE_MAX_AGE",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>A time as ISO-8601 UTC with a Z, seconds precision unless there are fractions.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return utc.ToString(utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Writes one feature value: numbers, strings, booleans, base64 bytes, ISO times, arrays.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case double or float: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case string s: writer.WriteStringValue(s); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case DateTimeOffset t: writer.WriteStringValue(FormatTime(t)); break;
            case JsonElement json: json.WriteTo(writer); break; // request values echoed as given (join keys from a JSON body)
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
