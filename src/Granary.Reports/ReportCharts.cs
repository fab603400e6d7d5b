using System.Globalization;
using System.Text.RegularExpressions;
using Granary.Drift;
using Granary.Skew;
using Granary.Statistics;
using ScottPlot;

namespace Granary.Reports;

/// <summary>
/// The reports' charts as inline SVG, drawn by ScottPlot (through SkiaSharp, headless): a histogram per
/// numeric feature, the reference and current shares per bin or category of a drift comparison, and
/// a skew feature's rows by outcome. Each SVG gets ids of its own, so that many share one page.
/// </summary>
public static partial class ReportCharts
{
    /// <summary>The reference side's color.</summary>
    public const string ReferenceColor = "#4e79a7";

    /// <summary>The current side's color.</summary>
    public const string CurrentColor = "#f28e2b";

    private const int Width = 720;
    private const int Height = 300;
    private const string FontName = "DejaVu Sans";
    private static int _charts;

    /// <summary>A numeric feature's histogram: one bar per bin, labelled with the bins' lower edges.</summary>
    public static string Histogram(FeatureStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var histogram = statistics.Histogram ?? throw new ArgumentException("the feature has no histogram", nameof(statistics));
        var plot = NewPlot();
        var bars = histogram.Counts.Select((count, i) => new Bar
        {
            Position = i,
            Value = count,
            Size = 0.9,
            FillColor = Color.FromHex(ReferenceColor),
            LineWidth = 0,
        }).ToList();
        plot.Add.Bars(bars);
        var ticks = Enumerable.Range(0, histogram.Counts.Count).Where(i => i % 4 == 0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(i => i - 0.5).ToArray(), ticks.Select(i => Format(histogram.Edges[i])).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("rows");
        plot.XLabel(statistics.Feature);
        return Svg(plot, $"Histogram of {statistics.Feature}: {histogram.Counts.Sum()} values in {histogram.Counts.Count} bins from {Format(histogram.Edges[0])} to {Format(histogram.Edges[^1])}");
    }

    /// <summary>
    /// The share of each side's values per bin (numeric: the reference's deciles) or category, the two sides'
    /// bars overlaid and translucent, so that where they part is where the distribution moved.
    /// </summary>
    public static string DriftBins(FeatureDrift drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var counts = drift.Counts;
        var labels = counts.Kind == FeatureStatistics.NumericKind ? BinLabels(counts.Edges) : counts.Categories.Select(Shorten).ToArray();
        double referenceTotal = Math.Max(1, counts.ReferenceCounts.Sum()), currentTotal = Math.Max(1, counts.CurrentCounts.Sum());
        var plot = NewPlot();
        var bars = new List<Bar>();
        for (var i = 0; i < labels.Length; i++)
        {
            bars.Add(new Bar { Position = i, Value = counts.ReferenceCounts[i] / referenceTotal, Size = 0.8, FillColor = Color.FromHex(ReferenceColor).WithAlpha(0.55), LineWidth = 0 });
        }

        for (var i = 0; i < labels.Length; i++)
        {
            bars.Add(new Bar { Position = i, Value = counts.CurrentCounts[i] / currentTotal, Size = 0.8, FillColor = Color.FromHex(CurrentColor).WithAlpha(0.55), LineWidth = 0 });
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels);
        var rotated = labels.Length > 10 || labels.Any(l => l.Length > 9);
        if (rotated)
        {
            // Long or many labels: slanted, with room below the axis for them. The legend is the report's, above the chart.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -40;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 90;
        }

        plot.Axes.Margins(bottom: 0);
        plot.YLabel("share of values");
        plot.XLabel(counts.Kind == FeatureStatistics.NumericKind ? "bins: the reference's deciles" : "values");
        return Svg(plot, $"Shares of {drift.Feature} per {(counts.Kind == FeatureStatistics.NumericKind ? "bin" : "value")}: reference and current overlaid", height: rotated ? 360 : Height);
    }

    /// <summary>A string feature's most frequent values, one horizontal bar each, the most frequent on top.</summary>
    public static string TopValues(FeatureStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var top = statistics.Top;
        var plot = NewPlot();
        plot.Add.Bars(top.Select((t, i) => new Bar
        {
            Position = top.Count - 1 - i,
            Value = t.Count,
            Size = 0.7,
            FillColor = Color.FromHex(ReferenceColor),
            LineWidth = 0,
            Orientation = Orientation.Horizontal,
        }).ToList());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, top.Count).Select(i => (double)(top.Count - 1 - i)).ToArray(), top.Select(t => Shorten(t.Value)).ToArray());
        plot.Axes.Margins(left: 0);
        plot.XLabel("rows");
        return Svg(plot, $"Most frequent values of {statistics.Feature}: {string.Join(", ", top.Select(t => $"{t.Value} {t.Count}"))}", height: 60 + (28 * Math.Max(3, top.Count)));
    }

    /// <summary>A skew feature's compared rows by outcome: matches, then each cause of a mismatch.</summary>
    public static string SkewOutcomes(FeatureSkew skew)
    {
        ArgumentNullException.ThrowIfNull(skew);
        (string Label, long Count, string Color)[] outcomes =
        [
            ("matches", skew.Matches, "#59a14f"),
            ("value differs", skew.Causes.ValueDiffers, "#e15759"),
            ("stale online", skew.Causes.StaleOnline, "#f28e2b"),
            ("online only", skew.Causes.OnlineOnly, "#76b7b2"),
            ("offline only", skew.Causes.OfflineOnly, "#4e79a7"),
        ];
        var plot = NewPlot();
        plot.Add.Bars(outcomes.Select((o, i) => new Bar
        {
            Position = outcomes.Length - 1 - i,
            Value = o.Count,
            Size = 0.7,
            FillColor = Color.FromHex(o.Color),
            LineWidth = 0,
            Orientation = Orientation.Horizontal,
        }).ToList());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, outcomes.Length).Select(i => (double)(outcomes.Length - 1 - i)).ToArray(), outcomes.Select(o => o.Label).ToArray());
        plot.Axes.Margins(left: 0);
        plot.XLabel("rows");
        return Svg(plot, $"Rows of {skew.Feature} by outcome: {string.Join(", ", outcomes.Select(o => $"{o.Label} {o.Count}"))}", height: 220);
    }

    /// <summary>A number as axes and tables show it: up to four significant digits.</summary>
    public static string Format(double value) =>
        value == 0 ? "0"
        : Math.Abs(value) is >= 1e6 or < 1e-3 ? value.ToString("0.###e0", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string[] BinLabels(IReadOnlyList<double> edges)
    {
        if (edges.Count == 0)
        {
            return ["all"];
        }

        var labels = new string[edges.Count + 1];
        labels[0] = $"≤ {Format(edges[0])}";
        for (var i = 1; i < edges.Count; i++)
        {
            labels[i] = $"{Format(edges[i - 1])}–{Format(edges[i])}";
        }

        labels[^1] = $"> {Format(edges[^1])}";
        return labels;
    }

    private static string Shorten(string value) => value.Length <= 16 ? value : value[..15] + "…";

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.FigureBackground.Color = Colors.White;
        return plot;
    }

    /// <summary>The plot as an SVG element for inlining: no XML declaration, a viewBox so that it scales, ids of its own, a title for screen readers.</summary>
    private static string Svg(Plot plot, string description, int height = Height)
    {
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontSize = 13;
            axis.Label.FontSize = 15;
        }

        var svg = plot.GetSvgXml(Width, height);
        var prefix = $"g{Interlocked.Increment(ref _charts).ToString(CultureInfo.InvariantCulture)}_";
        svg = XmlDeclaration().Replace(svg, string.Empty).Trim();
        svg = Ids().Replace(svg, m => $"{m.Groups[1].Value}{prefix}{m.Groups[2].Value}");
        var title = System.Net.WebUtility.HtmlEncode(description);
        return svg.Replace(
            $"width=\"{Width}\" height=\"{height}\">",
            $"width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" class=\"chart\" role=\"img\" aria-label=\"{title}\"><title>{title}</title>",
            StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"(id=""|url\(#|href=""#)([A-Za-z_][\w\-]*)")]
    private static partial Regex Ids();
}
