using Granary.Drift;
using Granary.Skew;
using Granary.Statistics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Reports;

/// <summary>
/// The reports as self-contained HTML files (<c>--output report.html</c>): the same components the web UI shows
/// (<see cref="SkewReportView"/>, <see cref="StatisticsReportView"/>, <see cref="DriftReportView"/>) inside a
/// document with their CSS inline and their charts as inline SVG; no script, nothing fetched.
/// </summary>
public static class HtmlReports
{
    /// <summary>The skew report as an HTML document.</summary>
    public static Task<string> RenderAsync(SkewReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return RenderAsync<SkewReportView>($"Skew of {report.FeatureService}", nameof(SkewReportView.Report), report);
    }

    /// <summary>The statistics report as an HTML document.</summary>
    public static Task<string> RenderAsync(StatisticsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return RenderAsync<StatisticsReportView>("Feature statistics", nameof(StatisticsReportView.Report), report);
    }

    /// <summary>The drift report as an HTML document.</summary>
    public static Task<string> RenderAsync(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return RenderAsync<DriftReportView>("Drift", nameof(DriftReportView.Report), report);
    }

    /// <summary>A fragment that renders <typeparamref name="TView"/> with one parameter: what the UI's report pages show.</summary>
    public static RenderFragment Fragment<TView>(string parameter, object value)
        where TView : IComponent => builder =>
        {
            builder.OpenComponent<TView>(0);
            builder.AddAttribute(1, parameter, value);
            builder.CloseComponent();
        };

    private static async Task<string> RenderAsync<TView>(string title, string parameter, object report)
        where TView : IComponent
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<ReportDocument>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(ReportDocument.Title)] = title,
                [nameof(ReportDocument.ChildContent)] = Fragment<TView>(parameter, report),
            })).ConfigureAwait(false);
            return output.ToHtmlString();
        }).ConfigureAwait(false);
    }
}
