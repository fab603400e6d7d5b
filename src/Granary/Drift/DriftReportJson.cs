using System.Text.Json;
using Granary.Statistics;

namespace Granary.Drift;

/// <summary>
/// <c>granary drift --output drift.json</c>: <c>{"reference", "current", "features": [...], "skipped": [...]}</c>, each feature
/// <c>{"feature", "kind": "numeric|categorical", "psi", "ks_d", "ks_p", "js", "status"}</c>; measures that do not apply are null.
/// </summary>
public static class DriftReportJson
{
    /// <summary>The report as indented JSON.</summary>
    public static string Serialize(DriftReport report) => ReportJson.Serialize(writer => Write(writer, report));

    /// <summary>Writes the report.</summary>
    public static void Write(Utf8JsonWriter writer, DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteString("reference", report.Reference);
        writer.WriteString("current", report.Current);
        writer.WriteStartArray("features");
        foreach (var feature in report.Features)
        {
            writer.WriteStartObject();
            writer.WriteString("feature", feature.Feature);
            writer.WriteString("kind", feature.Kind);
            ReportJson.Number(writer, "psi", feature.Psi);
            ReportJson.Number(writer, "ks_d", feature.KsD);
            ReportJson.Number(writer, "ks_p", feature.KsP);
            ReportJson.Number(writer, "js", feature.Js);
            writer.WriteString("status", feature.Status);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        ReportJson.Skipped(writer, report.Skipped);
        writer.WriteEndObject();
    }
}
