using System.Net;
using Granary.Repo;
using Granary.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Ui.Tests;

/// <summary>Every page renders for a project never applied, for one of 1,000 views, and for a registry written by Granary 0.1.</summary>
public sealed class ProjectShapeTests
{
    [Fact]
    public async Task Crawl_ProjectNeverApplied_EveryPageAnswersOkAndSaysSo()
    {
        using var repo = UiRepo.Empty();
        await using var host = await UiHost.StartAsync(repo);

        var pages = await Crawler.CrawlAsync(host.Client);

        Assert.All(pages, p => Assert.True(p.Value.Status == HttpStatusCode.OK, $"{p.Key} answered {(int)p.Value.Status}"));
        Assert.Contains("This project has not been applied yet", pages["/ui/"].Body, StringComparison.Ordinal);
        Assert.Contains("No feature views in this project (it has not been applied yet).", pages["/ui/feature-views"].Body, StringComparison.Ordinal);
        Assert.Contains("Nothing to draw", pages["/ui/lineage"].Body, StringComparison.Ordinal);
        Assert.Contains("/ui/reports/drift", pages.Keys);
    }

    [Fact]
    public async Task Crawl_ThousandViews_EveryPageAnswersOk()
    {
        using var repo = await UiRepo.ThousandViewsAsync();
        await using var host = await UiHost.StartAsync(repo);

        var pages = await Crawler.CrawlAsync(host.Client);

        Assert.All(pages, p => Assert.True(p.Value.Status == HttpStatusCode.OK, $"{p.Key} answered {(int)p.Value.Status}"));

        // 1,000 view pages, 10 services, the entity, the source.
        Assert.Equal(1000, pages.Keys.Count(k => k.StartsWith("/ui/feature-views/view_", StringComparison.Ordinal)));
        Assert.Equal(10, pages.Keys.Count(k => k.StartsWith("/ui/feature-services/service_", StringComparison.Ordinal)));
        Assert.Equal(1000, Crawler.Links(pages["/ui/lineage"].Body).Count(l => l.StartsWith("/ui/feature-views/", StringComparison.Ordinal)));

        // Never materialized: every view is stale.
        Assert.Equal(1000, pages["/ui/"].Body.Split("stale</span> never materialized").Length - 1);
    }

    [Fact]
    public async Task Crawl_RegistryWrittenBy01_EveryPageAnswersOkWithWhat01Recorded()
    {
        using var fixture = new Release01Fixture();
        var clock = new FakeTimeProvider(Release01Fixture.MaterializedUntil.AddMinutes(30));
        await using var host = await UiHost.StartAsync(
            () =>
            {
                var builder = new FeatureStoreBuilder(FeatureRepo.LoadConfig(fixture.RepoPath)) { TimeProvider = clock };
                return builder.AddDuckDb().AddSqlite().Build();
            },
            clock);

        var pages = await Crawler.CrawlAsync(host.Client);

        Assert.All(pages, p => Assert.True(p.Value.Status == HttpStatusCode.OK, $"{p.Key} answered {(int)p.Value.Status}"));
        string[] objects =
        [
            "/ui/entities/driver", "/ui/entities/rider", "/ui/data-sources/driver_stats", "/ui/data-sources/driver_stats_renamed",
            "/ui/push-sources/driver_stats_push", "/ui/request-sources/trip_request", "/ui/feature-views/driver_hourly_stats",
            "/ui/feature-views/driver_trips", "/ui/feature-views/driver_pushed_stats", "/ui/on-demand-feature-views/driver_adjusted",
            "/ui/on-demand-feature-views/driver_quality", "/ui/feature-services/driver_activity", "/ui/feature-services/driver_ranking",
        ];
        Assert.All(objects, path => Assert.Contains(path, pages.Keys));

        // The fixture's README: materialize 2026-11-01 .. 2026-11-30 16:00, then incremental to 16:00.
        Assert.Contains("<td>2026-11-01 00:00:00Z</td><td>2026-11-30 16:00:00Z</td>", pages["/ui/feature-views/driver_hourly_stats"].Body, StringComparison.Ordinal);
        Assert.Contains("lookup(weights, &#x27;conv&#x27;)", pages["/ui/on-demand-feature-views/driver_quality"].Body, StringComparison.Ordinal);

        // What 0.1 served for driver_ranking, driver_id=1001, val_to_add=5 (the fixture's README).
        var tried = await host.Client.GetStringAsync("/ui/feature-services/driver_ranking?try=1&driver_id=1001&val_to_add=5");
        Assert.Matches("<code>conv_rate</code></th>\\s*<td class=\"value\">0.78182375</td>", tried);
        Assert.Matches("<code>avg_daily_trips</code></th>\\s*<td class=\"value\">615</td>", tried);
        Assert.Matches("<code>conv_rate_plus_val</code></th>\\s*<td class=\"value\">5.781823635101318</td>", tried);
        Assert.Matches("<code>quality</code></th>\\s*<td class=\"value\">0.7914566576480865</td>", tried);
    }
}
