using System.Net;
using System.Text.Json;
using Granary.Server;
using Microsoft.Playwright;

namespace Granary.Ui.Tests;

/// <summary>
/// The UI in a real browser (Debian's Chromium through Playwright) over a repo holding every kind:
/// every page without console errors and without serious or critical axe-core violations, lineage
/// links, search as you type and without JavaScript, "try it" against the SQLite online store,
/// signing in. A screenshot of each page is kept under the test output's <c>screenshots</c> folder.
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private static readonly string AxeScript = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js"));
    private UiRepo _repo = default!;
    private UiHost _host = default!;
    private Chromium _chromium = default!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        _repo = await UiRepo.EveryKindAsync();
        _host = await UiHost.StartAsync(_repo);
        _chromium = await Chromium.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _host.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task EveryPage_LightDarkAndNarrow_NoConsoleErrorNoBrokenLinkNoSeriousAxeViolation()
    {
        var pages = await Crawler.CrawlAsync(_host.Client);
        var paths = pages.Keys.Where(p => !p.Contains("/assets/", StringComparison.Ordinal))
            .Append("/ui/feature-views/driver_hourly_stats?try=1&driver_id=1001")
            .Append("/ui/feature-services/driver_ranking?try=1&driver_id=1001&distance_km=2")
            .Append("/ui/search?q=driver")
            .ToList();
        var problems = new List<string>();
        foreach (var (scheme, width, suffix) in new[] { (ColorScheme.Light, 1280, string.Empty), (ColorScheme.Dark, 1280, "-dark"), (ColorScheme.Light, 390, "-narrow") })
        {
            var context = await _chromium.NewContextAsync(width: width, colorScheme: scheme);
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };
            page.PageError += (_, error) => errors.Add(error);
            page.RequestFailed += (_, request) => errors.Add($"request failed: {request.Url}");
            foreach (var path in paths)
            {
                errors.Clear();
                var response = await page.GotoAsync(_host.BaseUrl + path);
                if (response?.Status != 200)
                {
                    problems.Add($"{path}{suffix}: status {response?.Status}");
                }

                foreach (var link in await page.EvalOnSelectorAllAsync<string[]>("a[href], link[href], script[src]", "els => els.map(e => e.getAttribute('href') ?? e.getAttribute('src'))"))
                {
                    var target = WebUtility.HtmlDecode(link).Split('#')[0];
                    if (target.StartsWith("/ui", StringComparison.Ordinal) && !pages.ContainsKey(target) && !target.StartsWith("/ui/assets/", StringComparison.Ordinal))
                    {
                        using var check = await _host.Client.GetAsync(target);
                        if (check.StatusCode != HttpStatusCode.OK)
                        {
                            problems.Add($"{path}: broken link {target} ({(int)check.StatusCode})");
                        }
                    }
                }

                foreach (var violation in await AxeAsync(page))
                {
                    problems.Add($"{path}{suffix}: axe {violation}");
                }

                problems.AddRange(errors.Select(e => $"{path}{suffix}: console: {e}"));
                if (suffix.Length == 0 || path is "/ui/" or "/ui/feature-views/driver_hourly_stats" or "/ui/lineage")
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, ShotName(path) + suffix + ".png"), FullPage = true });
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Lineage_ClickNodes_OpenTheirPages()
    {
        var page = await (await _chromium.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + "/ui/lineage");

        await page.Locator("svg.lineage a[aria-label='On-demand view driver_score']").ClickAsync();
        await page.WaitForURLAsync("**/ui/on-demand-feature-views/driver_score");
        Assert.Equal("driver_score", await page.Locator("h1 .name").TextContentAsync());

        // The page's own drawing: from driver_score to the service that serves it.
        await page.Locator("svg.lineage a[aria-label='Feature service driver_ranking']").ClickAsync();
        await page.WaitForURLAsync("**/ui/feature-services/driver_ranking");
        await page.Locator("svg.lineage a[aria-label='Feature view driver_hourly_stats']").ClickAsync();
        await page.WaitForURLAsync("**/ui/feature-views/driver_hourly_stats");
        await page.Locator("svg.lineage a[aria-label='Data source driver_stats']").ClickAsync();
        await page.WaitForURLAsync("**/ui/data-sources/driver_stats");
    }

    [Fact]
    public async Task Search_AsYouType_ShowsHitsThatTheKeyboardReaches()
    {
        var page = await (await _chromium.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + "/ui/entities");

        // "/" moves to the search box from anywhere on the page.
        await page.Keyboard.PressAsync("/");
        Assert.Equal("search-box", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        // Each pause in typing may ask the server; wait for the list of the whole word (ui.js marks it with data-query).
        await page.Keyboard.TypeAsync("accepted");
        var hit = page.Locator("#search-results[data-query='accepted'] a[href='/ui/feature-views/driver_hourly_stats#feature-conv_rate']");
        await hit.WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "search-as-you-type.png") });

        await page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("/ui/feature-views/driver_hourly_stats#feature-conv_rate", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')"));
        // The wait is set up before Enter and ends when the new page is committed: waiting afterwards for its
        // load event timed out once on a busy CI machine.
        var opened = page.WaitForURLAsync("**/ui/feature-views/driver_hourly_stats#feature-conv_rate", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.Keyboard.PressAsync("Enter");
        await opened;
    }

    [Fact]
    public async Task Search_WithoutJavaScript_SubmitsToTheSearchPage()
    {
        var page = await (await _chromium.NewContextAsync(javaScript: false)).NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + "/ui/");

        await page.Locator("#search-box").FillAsync("fares");
        await page.Locator("#search-box").PressAsync("Enter");

        await page.WaitForURLAsync("**/ui/search?q=fares");
        Assert.Equal(1, await page.Locator("main .hits a[href='/ui/aggregation-views/rider_fares']").CountAsync());
    }

    [Fact]
    public async Task TryIt_ServicePage_ReadsTheSqliteOnlineStore()
    {
        var page = await (await _chromium.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + "/ui/feature-services/driver_ranking");

        await page.GetByLabel("driver_id").FillAsync("1001");
        await page.GetByLabel("distance_km").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Read online features" }).ClickAsync();
        await page.Locator("table.result").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "try-it.png"), FullPage = true });

        // The join key echoed (request fields are not); conv_rate 0.6 at 11:00; score 0.6 * 2; bonus 11 / 10; high 1.2 > 1.
        var rows = await page.Locator("table.result tbody tr").AllInnerTextsAsync();
        Assert.Equal(
            ["driver_id\t1001\tPRESENT", "conv_rate\t0.6\tPRESENT\t2026-11-30 11:00:00Z", "score\t1.2\tPRESENT", "bonus\t1.1\tPRESENT", "high\ttrue\tPRESENT"],
            rows.Select(r => r.Trim()).ToArray());
        Assert.Contains("\"distance_km\":[2]", await page.Locator("pre.code").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_InTheBrowser_KeepsTheKeyInAnHttpOnlyStrictCookie()
    {
        const string key = "browser-read-key-0123456789";
        await using var host = await UiHost.StartAsync(_repo, o => o.ApiKeys.Add(new ApiKey("reader", key, FeatureServerScopes.Read)));
        var context = await _chromium.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(host.BaseUrl + "/ui/feature-views/driver_daily");
        await page.WaitForURLAsync("**/ui/login?return=*");
        foreach (var violation in await AxeAsync(page))
        {
            Assert.Fail($"login page: axe {violation}");
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "login.png") });
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync("**/ui/feature-views/driver_daily");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "granary_ui_key");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.NotEqual(key, cookie.Value);
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie.includes('granary_ui_key') ? 'visible' : null"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/ui/login");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "granary_ui_key");
    }

    /// <summary>axe-core's serious and critical violations on the page, one line each.</summary>
    private static async Task<IReadOnlyList<string>> AxeAsync(IPage page)
    {
        await page.EvaluateAsync(AxeScript);
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)
            """);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToArray();
    }

    private static string ShotName(string path)
    {
        var name = path.Trim('/').Replace("ui/", string.Empty, StringComparison.Ordinal);
        name = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_'));
        return name is "ui" or "" ? "overview" : name;
    }
}
