using System.Globalization;
using Granary.Online;

namespace Granary.Reports;

/// <summary>How the reports write numbers, rates, times and values, the same in every table.</summary>
internal static class Formats
{
    public static string Number(double? value) => value is { } v ? (double.IsNaN(v) ? "-" : ReportCharts.Format(v)) : "-";

    public static string Percent(double rate) => rate.ToString("0.##%", CultureInfo.InvariantCulture);

    /// <summary>A bar's CSS width for a rate: up to 8rem.</summary>
    public static string Width(double rate) => (Math.Clamp(rate, 0, 1) * 8).ToString("0.##", CultureInfo.InvariantCulture) + "rem";

    public static string Time(DateTimeOffset? time) => time is { } t ? OnlineResponseJson.FormatTime(t) : "-";

    public static string Value(object? value) => value switch
    {
        null => "null",
        double d => ReportCharts.Format(d),
        float f => ReportCharts.Format(f),
        DateTimeOffset t => OnlineResponseJson.FormatTime(t),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>An element id for a feature's section.</summary>
    public static string Anchor(string feature) => "f-" + feature;
}
