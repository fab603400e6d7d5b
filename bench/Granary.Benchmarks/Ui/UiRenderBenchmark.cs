using System.Diagnostics;
using System.Globalization;
using System.Net;
using Granary.Definitions;
using Granary.Repo;
using Granary.Testing;
using Granary.Ui.Catalog;
using Granary.Ui.Components;
using Granary.Ui.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Benchmarks.Ui;

/// <summary>
/// The web UI over a registry of 1,000 feature views (three features each, ten services of 100):
/// the server-side render of its biggest pages, alone (component to HTML) and end to end (an HTTP GET
/// to a Kestrel server on loopback, which also reads the registry file). Target: the biggest page
/// within 300 ms.
/// </summary>
internal static class UiRenderBenchmark
{
    private const int WarmUp = 5;
    private const int Iterations = 40;

    public static async Task<int> RunAsync(string[] args)
    {
        var folder = Directory.CreateTempSubdirectory("granary-bench-ui-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "data"));
            File.WriteAllText(Path.Combine(folder, "granary.yaml"), """
                project: bench_ui
                registry: data/registry.json
                offline_store: { type: duckdb }
                online_store: { type: sqlite, path: data/online.db }

                """);
            FeatureStore Open() => new FeatureStoreBuilder(FeatureRepo.LoadConfig(folder)).AddDuckDb().AddSqlite().Build();
            await using (var store = Open())
            {
                await store.Registry.ApplyAsync("bench_ui", ThousandViews.Definitions(), expectedVersion: 0);
            }

            Console.WriteLine($"Granary UI render, 1,000 feature views; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            Console.WriteLine("| page | render only p50 | render only max | HTTP GET p50 | HTTP GET p99 | HTTP GET max | HTML size |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");

            await using var reader = Open();
            var snapshot = await reader.GetSnapshotAsync();
            var services = new ServiceCollection().AddLogging().BuildServiceProvider();
            var renderer = new PageRenderer(services, NullLoggerFactory.Instance);
            var context = new PageContext("/ui", new RegistryView("bench_ui", snapshot), DateTimeOffset.UnixEpoch.AddYears(56), "http://127.0.0.1:6566", false, "bench");

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Services.AddGranaryUi(_ => Open());
            await using var app = builder.Build();
            app.MapGranaryUi();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            var pages = new (string Name, string Path, Func<Task<string>> Render)[]
            {
                ("lineage", "/ui/lineage", () => renderer.RenderAsync<LineagePage>(Parameters(context))),
                ("overview (1,000 stale views)", "/ui/", () => renderer.RenderAsync<OverviewPage>(Parameters(context))),
                ("feature views list", "/ui/feature-views", () => renderer.RenderAsync<ListPage>(Parameters(context, UiKind.FeatureViews))),
                ("feature service of 100 views", "/ui/feature-services/service_0", () => renderer.RenderAsync<ObjectPage>(new Dictionary<string, object?>
                {
                    [nameof(ObjectPage.Context)] = context,
                    [nameof(ObjectPage.Kind)] = UiKind.FeatureServices,
                    [nameof(ObjectPage.Definition)] = snapshot.Definitions.FindFeatureService("service_0"),
                })),
                ("search 'view' (100 hits)", "/ui/search?q=view", () => renderer.RenderAsync<SearchPage>(new Dictionary<string, object?>
                {
                    [nameof(SearchPage.Context)] = context,
                    [nameof(SearchPage.Query)] = "view",
                    [nameof(SearchPage.Hits)] = Search.Find(context.Registry, "view", 100),
                })),
            };
            foreach (var (name, path, render) in pages)
            {
                var size = 0;
                var alone = await MeasureAsync(async () => size = (await render()).Length);
                var http = await MeasureAsync(async () =>
                {
                    using var response = await client.GetAsync(path);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                });
                Console.WriteLine($"| {name} | {Ms(alone[Iterations / 2])} | {Ms(alone[^1])} | {Ms(http[Iterations / 2])} | {Ms(http[(int)Math.Ceiling(Iterations * 0.99) - 1])} | {Ms(http[^1])} | {size / 1024.0:0} KiB |");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, object?> Parameters(PageContext context, UiKind? kind = null)
    {
        var values = new Dictionary<string, object?> { [nameof(OverviewPage.Context)] = context };
        if (kind is not null)
        {
            values[nameof(ListPage.Kind)] = kind;
        }

        return values;
    }

    private static async Task<long[]> MeasureAsync(Func<Task> action)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await action();
        }

        var samples = new long[Iterations];
        for (var i = 0; i < Iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action();
            samples[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(samples);
        return samples;
    }

    private static string Ms(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
