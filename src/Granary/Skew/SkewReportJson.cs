using System.Text.Json;
using Granary.Online;
using Granary.Statistics;

namespace Granary.Skew;

/// <summary>
/// <c>granary skew --output report.json</c>, with exactly the keys of the skew report's contract:
/// <c>{"feature_service", "start", "end", "rows", "features": [{"feature", "compared", "matches", "mismatches",
/// "mismatch_rate", "smape", "causes": {"value_differs", "stale_online", "online_only", "offline_only"}, "examples":
/// [{"entity": {...}, "log_timestamp", "online", "offline", "online_event_timestamp", "offline_event_timestamp"}]}]}</c>.
/// </summary>
public static class SkewReportJson
{
    /// <summary>The report as indented JSON.</summary>
    public static string Serialize(SkewReport report) => ReportJson.Serialize(writer => Write(writer, report));

    /// <summary>Writes the report.</summary>
    public static void Write(Utf8JsonWriter writer, SkewReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteString("feature_service", report.FeatureService);
        ReportJson.Time(writer, "start", report.Start);
        ReportJson.Time(writer, "end", report.End);
        writer.WriteNumber("rows", report.Rows);
        writer.WriteStartArray("features");
        foreach (var feature in report.Features)
        {
            writer.WriteStartObject();
            writer.WriteString("feature", feature.Feature);
            writer.WriteNumber("compared", feature.Compared);
            writer.WriteNumber("matches", feature.Matches);
            writer.WriteNumber("mismatches", feature.Mismatches);
            writer.WriteNumber("mismatch_rate", feature.MismatchRate);
            ReportJson.Number(writer, "smape", feature.Smape);
            writer.WriteStartObject("causes");
            writer.WriteNumber("value_differs", feature.Causes.ValueDiffers);
            writer.WriteNumber("stale_online", feature.Causes.StaleOnline);
            writer.WriteNumber("online_only", feature.Causes.OnlineOnly);
            writer.WriteNumber("offline_only", feature.Causes.OfflineOnly);
            writer.WriteEndObject();
            writer.WriteStartArray("examples");
            foreach (var example in feature.Examples)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("entity");
                foreach (var (key, value) in example.Entity)
                {
                    writer.WritePropertyName(key);
                    OnlineResponseJson.WriteValue(writer, value);
                }

                writer.WriteEndObject();
                ReportJson.Time(writer, "log_timestamp", example.LogTimestamp);
                writer.WritePropertyName("online");
                OnlineResponseJson.WriteValue(writer, example.Online);
                writer.WritePropertyName("offline");
                OnlineResponseJson.WriteValue(writer, example.Offline);
                ReportJson.Time(writer, "online_event_timestamp", example.OnlineEventTimestamp);
                ReportJson.Time(writer, "offline_event_timestamp", example.OfflineEventTimestamp);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
