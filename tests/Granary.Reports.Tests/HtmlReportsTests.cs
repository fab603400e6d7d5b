using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Granary.Reports.Tests;

/// <summary>
/// Each report as a file opened in Debian's Chromium (Playwright, JavaScript off, every request but the
/// file itself refused): no console error, nothing fetched, the summary before the features, every chart
/// drawn with a size. Screenshots are kept under the test output's <c>screenshots</c> folder.
/// </summary>
public sealed partial class HtmlReportsTests : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private readonly string _folder = Directory.CreateTempSubdirectory("granary-reports-").FullName;
    private Granary.Ui.Tests.Chromium _chromium = default!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        _chromium = await Granary.Ui.Tests.Chromium.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string> Reports() => ["skew", "statistics", "drift"];

    private static Task<string> RenderAsync(string report) => report switch
    {
        "skew" => HtmlReports.RenderAsync(SampleReports.Skew()),
        "statistics" => HtmlReports.RenderAsync(SampleReports.Statistics()),
        _ => HtmlReports.RenderAsync(SampleReports.Drift()),
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Render_InChromium_NoConsoleErrorNothingFetchedChartsHaveSize(string report)
    {
        var html = await RenderAsync(report);
        var path = Path.Combine(_folder, report + ".html");
        await File.WriteAllTextAsync(path, html);
        var context = await _chromium.NewContextAsync(javaScript: false, width: 1100);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        await page.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url == new Uri(path).AbsoluteUri)
            {
                await route.ContinueAsync();
            }
            else
            {
                problems.Add($"fetched {route.Request.Url}");
                await route.AbortAsync();
            }
        });

        await page.GotoAsync(new Uri(path).AbsoluteUri);
        var charts = await page.EvalOnSelectorAllAsync<double[][]>("svg.chart", "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })");
        var summaryTop = await page.EvalOnSelectorAsync<double>(".summary", "e => e.getBoundingClientRect().top");
        var firstSection = await page.EvalOnSelectorAsync<double>("section", "e => e.getBoundingClientRect().top");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"report-{report}.png"), FullPage = true });

        Assert.Empty(problems);
        Assert.NotEmpty(charts);
        Assert.All(charts, size => Assert.True(size[0] > 100 && size[1] > 100, $"a chart is {size[0]} x {size[1]}"));
        Assert.True(summaryTop < firstSection, "the summary comes before the features");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
    }

    [Fact]
    public async Task Skew_Summary_ListsMismatchRatesWorstFirst()
    {
        var html = await HtmlReports.RenderAsync(SampleReports.Skew());

        // conv_rate 12 of 40 (30%), trips 1 of 40 (2.5%), score 0.
        var summary = html[..html.IndexOf("<section", StringComparison.Ordinal)];
        var order = new[] { "driver_hourly_stats__conv_rate", "driver_hourly_stats__trips", "driver_adjusted__score" }
            .Select(f => summary.IndexOf($">{f}</a>", StringComparison.Ordinal)).ToArray();
        Assert.All(order, i => Assert.True(i > 0));
        Assert.Equal(order.Order(), order);
        Assert.Contains("30%", summary);
        Assert.Contains("2.5%", summary);
    }

    [Fact]
    public async Task Drift_Summary_CountsOkWarnAndDrift()
    {
        var html = await HtmlReports.RenderAsync(SampleReports.Drift());

        // conv_rate: shares 0.1 each against 0.025, 0.0375, ..., 0.15: PSI 0.104 + 0.061 + 0.035 + 0.007 + 0 + 0.001 + 0.012 + 0.020 + 0.030 + 0.020 = 0.29 (drift).
        // trips: 0.0975..0.1025 against 0.1: PSI about 0.0003 (ok).
        // city: 0.19/0.08/0.42/0.31 against 0.2/0.15/0.375/0.275:
        // 0.01 ln(0.2/0.19) + 0.07 ln(0.15/0.08) + (-0.045) ln(0.375/0.42) + (-0.035) ln(0.275/0.31) = 0.0005 + 0.0440 + 0.0051 + 0.0042 = 0.0538 (ok).
        Assert.Matches(@"<div class=""tile ok""><b>2</b>ok</div>", html);
        Assert.Matches(@"<div class=""tile warn""><b>0</b>warn</div>", html);
        Assert.Matches(@"<div class=""tile drift""><b>1</b>drift</div>", html);
    }

    [GeneratedRegex(@"(src|href)=""(https?:)?//|@import|url\((?!#)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
