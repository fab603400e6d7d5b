using System.Text.Json;

namespace Granary.Statistics;

/// <summary>
/// <c>granary stats --output stats.json</c>: <c>{"input", "start", "end", "features": [...], "skipped": [...]}</c>, each
/// feature <c>{"feature", "count", "nulls", "null_rate", "distinct", "min", "max", "mean", "stddev", "quantiles":
/// {"p01", ..., "p99"}, "histogram": {"edges", "counts"}, "top": [{"value", "count"}]}</c>; what does not apply is null
/// (or an empty <c>top</c>).
/// </summary>
public static class StatisticsReportJson
{
    /// <summary>The report as indented JSON.</summary>
    public static string Serialize(StatisticsReport report) => ReportJson.Serialize(writer => Write(writer, report));

    /// <summary>Writes the report.</summary>
    public static void Write(Utf8JsonWriter writer, StatisticsReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteString("input", report.Input);
        ReportJson.Time(writer, "start", report.Start);
        ReportJson.Time(writer, "end", report.End);
        writer.WriteStartArray("features");
        foreach (var feature in report.Features)
        {
            WriteFeature(writer, feature);
        }

        writer.WriteEndArray();
        ReportJson.Skipped(writer, report.Skipped);
        writer.WriteEndObject();
    }

    /// <summary>One feature's statistics object.</summary>
    public static void WriteFeature(Utf8JsonWriter writer, FeatureStatistics feature)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(feature);
        writer.WriteStartObject();
        writer.WriteString("feature", feature.Feature);
        writer.WriteNumber("count", feature.Count);
        writer.WriteNumber("nulls", feature.Nulls);
        writer.WriteNumber("null_rate", feature.NullRate);
        if (feature.Distinct is { } distinct)
        {
            writer.WriteNumber("distinct", distinct);
        }
        else
        {
            writer.WriteNull("distinct");
        }

        ReportJson.Number(writer, "min", feature.Min);
        ReportJson.Number(writer, "max", feature.Max);
        ReportJson.Number(writer, "mean", feature.Mean);
        ReportJson.Number(writer, "stddev", feature.Stddev);
        if (feature.Quantiles.Count == 0)
        {
            writer.WriteNull("quantiles");
        }
        else
        {
            writer.WriteStartObject("quantiles");
            foreach (var (name, _) in FeatureStatistics.QuantilePoints)
            {
                ReportJson.Number(writer, name, feature.Quantiles.TryGetValue(name, out var q) ? q : null);
            }

            writer.WriteEndObject();
        }

        if (feature.Histogram is { } histogram)
        {
            writer.WriteStartObject("histogram");
            writer.WriteStartArray("edges");
            foreach (var edge in histogram.Edges)
            {
                writer.WriteNumberValue(edge);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("counts");
            foreach (var count in histogram.Counts)
            {
                writer.WriteNumberValue(count);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("histogram");
        }

        writer.WriteStartArray("top");
        foreach (var top in feature.Top)
        {
            writer.WriteStartObject();
            writer.WriteString("value", top.Value);
            writer.WriteNumber("count", top.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
