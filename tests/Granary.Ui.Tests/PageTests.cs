using System.Net;

namespace Granary.Ui.Tests;

/// <summary>
/// Every page of the UI over a repo holding every kind of object, read over HTTP as a browser without
/// JavaScript reads it. Expected texts are worked out by hand from <see cref="UiRepo"/>'s rows and clock.
/// </summary>
public sealed class PageTests : IAsyncLifetime
{
    private UiRepo _repo = default!;
    private UiHost _host = default!;

    public async Task InitializeAsync()
    {
        _repo = await UiRepo.EveryKindAsync();
        _host = await UiHost.StartAsync(_repo);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task Crawl_EveryKindRepo_EveryLinkAnswersOkAndEveryObjectHasItsPage()
    {
        var pages = await Crawler.CrawlAsync(_host.Client);

        Assert.All(pages, p => Assert.True(p.Value.Status == HttpStatusCode.OK, $"{p.Key} answered {(int)p.Value.Status}"));
        string[] expected =
        [
            "/ui/", "/ui/lineage", "/ui/saved-datasets", "/ui/reports/skew", "/ui/reports/statistics", "/ui/reports/drift",
            "/ui/entities/driver", "/ui/entities/rider",
            "/ui/data-sources/driver_stats", "/ui/data-sources/trips", "/ui/push-sources/trips_push", "/ui/request-sources/ride_request",
            "/ui/feature-views/driver_hourly_stats", "/ui/feature-views/driver_daily", "/ui/feature-views/driver_history", "/ui/feature-views/rider_trips",
            "/ui/aggregation-views/rider_fares", "/ui/on-demand-feature-views/driver_score", "/ui/on-demand-feature-views/driver_band",
            "/ui/feature-services/driver_ranking", "/ui/feature-services/rider_activity",
        ];
        Assert.All(expected, path => Assert.Contains(path, pages.Keys));
    }

    [Fact]
    public async Task Overview_EveryKindRepo_ListsStaleViewsAndRecentMaterializations()
    {
        var html = await _host.Client.GetStringAsync("/ui/");

        Assert.Equal("Overview · " + _repo.Project + " · Granary", Title(html));
        Assert.Contains("<dt>Registry version</dt><dd>1</dd>", html, StringComparison.Ordinal);
        var stale = Between(html, "id=\"stale\"", "Recent materializations");

        // driver_daily ends at 10:00 with a ttl of 1h: at 12:00 it is 2h old. The two rider views were never materialized.
        Assert.Contains("materialized until 2026-11-30 10:00:00Z, 2h ago: older than its ttl 1h", stale, StringComparison.Ordinal);
        Assert.Contains(">rider_trips</a>", stale, StringComparison.Ordinal);
        Assert.Contains(">rider_fares</a>", stale, StringComparison.Ordinal);
        Assert.Equal(2, Count(stale, "stale</span> never materialized"));
        Assert.DoesNotContain("driver_hourly_stats", stale, StringComparison.Ordinal);
        Assert.DoesNotContain("driver_history", stale, StringComparison.Ordinal);

        var recent = html[html.IndexOf("Recent materializations", StringComparison.Ordinal)..];
        Assert.Contains("<td>2026-11-30 00:00:00Z</td>\n                            <td>2026-11-30 12:00:00Z</td>", recent.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<td>2026-11-30 00:00:00Z</td>\n                            <td>2026-11-30 10:00:00Z</td>", recent.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeatureViewPage_Materialized_ShowsIntervalLagAndLineage()
    {
        var html = await _host.Client.GetStringAsync("/ui/feature-views/driver_hourly_stats");

        Assert.Equal("driver_hourly_stats · Feature view · " + _repo.Project + " · Granary", Title(html));
        Assert.Contains("Materialized until <strong>2026-11-30 12:00:00Z</strong>, a lag of 0s.", html, StringComparison.Ordinal);
        Assert.Contains("<td>2026-11-30 00:00:00Z</td><td>2026-11-30 12:00:00Z</td><td>2026-11-30 12:00:00Z</td>", html, StringComparison.Ordinal);

        // Upstream: its source. Downstream: driver_score reads it, driver_band reads driver_score, driver_ranking serves all three.
        var upstream = Between(html, "<h3>Upstream</h3>", "<h3>Downstream</h3>");
        Assert.Equal(["/ui/data-sources/driver_stats"], Crawler.Links(upstream));
        var downstream = Between(html, "<h3>Downstream</h3>", "<svg");
        Assert.Equal(
            ["/ui/on-demand-feature-views/driver_score", "/ui/feature-services/driver_ranking", "/ui/on-demand-feature-views/driver_band"],
            Crawler.Links(downstream));
    }

    [Fact]
    public async Task DataSourcePage_FileSource_ShowsColumnsReadFromTheData()
    {
        var html = (await _host.Client.GetStringAsync("/ui/data-sources/trips")).ReplaceLineEndings("\n");

        Assert.Contains("<dt><code>path</code></dt>", html, StringComparison.Ordinal);
        Assert.Contains("data/trips.parquet", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td><code>fare_usd</code></td><td><code>fare</code></td></tr>", html, StringComparison.Ordinal);

        // The Parquet file has rider_id VARCHAR, ts TIMESTAMP WITH TIME ZONE, fare_usd DOUBLE.
        Assert.Contains("<code>rider_id</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>fare_usd</code><span class=\"muted\"> → <code>fare</code></span>", html, StringComparison.Ordinal);
        Assert.Matches("<code>ts</code></th>\\s*<td><span class=\"type\">unix_timestamp</span>", html);
        Assert.Contains("event time", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushSourcePage_ShowsBatchSourceAndItsColumns()
    {
        var html = await _host.Client.GetStringAsync("/ui/push-sources/trips_push");

        Assert.Contains("<a href=\"/ui/data-sources/trips\">trips</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>fare_usd</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnDemandPage_ShowsEachOutputsExpressionOrCSharpFunction()
    {
        var html = await _host.Client.GetStringAsync("/ui/on-demand-feature-views/driver_score");

        Assert.Contains("<code class=\"expr\">conv_rate * distance_km</code>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"csharp\">C# function</span>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/ui/request-sources/ride_request\">ride_request</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregationViewPage_ShowsFeaturesWindowsAndHop()
    {
        var html = await _host.Client.GetStringAsync("/ui/aggregation-views/rider_fares");

        // sum of a float64 column is float64; count is int64; names {column}_{function}_{window} and count_{window}.
        Assert.Matches("<code>fare_sum_1h</code></th>\\s*<td><span class=\"type\">float64</span>", html);
        Assert.Matches("<code>fare_sum_1d</code></th>\\s*<td><span class=\"type\">float64</span>", html);
        Assert.Matches("<code>count_1d</code></th>\\s*<td><span class=\"type\">int64</span>", html);
        Assert.Contains("<dt>Hop</dt><dd>1h</dd>", html, StringComparison.Ordinal);
        Assert.Contains("never", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryIt_FeatureView_ReadsTheSqliteOnlineStore()
    {
        var html = await _host.Client.GetStringAsync("/ui/feature-views/driver_hourly_stats?try=1&driver_id=1001");

        // 1001's latest row is 11:00 (0.6, 11 trips), within the 1d ttl at 12:00.
        Assert.Matches("<code>conv_rate</code></th>\\s*<td class=\"value\">0.6</td>\\s*<td><span class=\"status s-PRESENT\">PRESENT</span></td>\\s*<td>2026-11-30 11:00:00Z</td>", html);
        Assert.Matches("<code>trips</code></th>\\s*<td class=\"value\">11</td>", html);
    }

    [Fact]
    public async Task TryIt_ServiceWithRequestField_ComputesOnDemandOutputs()
    {
        var html = await _host.Client.GetStringAsync("/ui/feature-services/driver_ranking?try=1&driver_id=1001&distance_km=2");

        // score = 0.6 * 2 = 1.2; bonus = 11 / 10 = 1.1 (the C# function); high = 1.2 > 1.
        Assert.Matches("<code>score</code></th>\\s*<td class=\"value\">1.2</td>", html);
        Assert.Matches("<code>bonus</code></th>\\s*<td class=\"value\">1.1</td>", html);
        Assert.Matches("<code>high</code></th>\\s*<td class=\"value\">true</td>", html);
        Assert.Contains(
            "-d &#x27;{&quot;feature_service&quot;:&quot;driver_ranking&quot;,&quot;entities&quot;:{&quot;driver_id&quot;:[1001],&quot;distance_km&quot;:[2]}}&#x27;",
            html,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryIt_UnknownKey_SaysNotFound()
    {
        var html = await _host.Client.GetStringAsync("/ui/feature-views/driver_hourly_stats?try=1&driver_id=9999");

        Assert.Matches("<code>conv_rate</code></th>\\s*<td class=\"value\">null</td>\\s*<td><span class=\"status s-NOT_FOUND\">NOT_FOUND</span>", html);
    }

    [Fact]
    public async Task TryIt_MissingValue_AsksForIt()
    {
        var html = await _host.Client.GetStringAsync("/ui/feature-services/driver_ranking?try=1&driver_id=1001");

        Assert.Contains("enter a value for distance_km", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_Description_FindsTheFeatureAndTheFragmentIsJustTheList()
    {
        var page = await _host.Client.GetStringAsync("/ui/search?q=accepted");
        var fragment = await _host.Client.GetStringAsync("/ui/search?q=accepted&fragment=1");

        // "Share of offers accepted" describes driver_hourly_stats.conv_rate only.
        Assert.Contains("href=\"/ui/feature-views/driver_hourly_stats#feature-conv_rate\"", page, StringComparison.Ordinal);
        Assert.Equal(["/ui/feature-views/driver_hourly_stats"], Crawler.Links(fragment));
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_Name_RanksTheExactNameFirst()
    {
        var fragment = await _host.Client.GetStringAsync("/ui/search?q=driver&fragment=1");

        Assert.Equal("/ui/entities/driver", Crawler.Links(fragment).First());
    }

    [Fact]
    public async Task UnknownObject_Answers404Page()
    {
        using var response = await _host.Client.GetAsync("/ui/feature-views/no_such_view");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("has no feature view named &#x27;no_such_view&#x27;", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_CarryAStrictContentSecurityPolicy()
    {
        using var response = await _host.Client.GetAsync("/ui/");

        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    private static string Title(string html) =>
        WebUtility.HtmlDecode(Between(html, "<title>", "</title>")["<title>".Length..]);

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not found");
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to >= 0, $"'{end}' not found after '{start}'");
        return text[from..to];
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
