using System.Globalization;
using System.Text;
using Granary.DuckDb;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.Sqlite;

namespace Granary.Benchmarks.Online;

/// <summary>
/// What an on-demand view adds to an online read, per entity row: the same read through the
/// FeatureStore facade on SQLite with and without three on-demand features (a lookup, a 5-operation
/// expression, an addition of a request field), for 1 and 100 entity rows.
/// </summary>
internal static class OnDemandReadBenchmark
{
    private const int Drivers = 10_000;

    private const string Definitions = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: file_source
        name: stats
        path: stats.csv
        ---
        kind: feature_view
        name: stats
        entities: [driver]
        source: stats
        schema:
          - { name: conv_rate, dtype: float64 }
          - { name: price, dtype: float64 }
          - { name: trips, dtype: float64 }
        ---
        kind: request_source
        name: trip_request
        schema:
          - { name: val_to_add, dtype: int64 }
          - { name: currency, dtype: string }
        ---
        kind: on_demand_feature_view
        name: adjusted
        sources: [stats, trip_request]
        schema:
          - { name: conv_plus, dtype: float64, expression: "conv_rate + val_to_add" }
          - { name: price_usd, dtype: float64, expression: "price * lookup(fx, currency)" }
          - { name: five_ops, dtype: float64, expression: "(conv_rate + price) * trips - price / trips" }
        constants:
          fx: { USD: 1.0, SEK: 0.094, EUR: 1.08 }
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = args.Contains("--quick") ? 2_000 : 20_000;
        var folder = Directory.CreateTempSubdirectory("granary-bench-odfv-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "granary.yaml"), "project: bench_odfv\nonline_store: { type: sqlite, path: online.db }\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "features.yaml"), Definitions);
            var csv = new StringBuilder("driver_id,event_timestamp,conv_rate,price,trips\n");
            var random = new Random(7);
            for (var d = 0; d < Drivers; d++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{d},2024-01-01T00:00:00Z,{random.NextDouble()},{random.NextDouble() * 100},{1 + random.Next(100)}\n");
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "stats.csv"), csv.ToString());
            var config = FeatureRepo.LoadConfig(folder);
            await using var store = new FeatureStore(
                config,
                new FileRegistry(Path.Combine(folder, "registry.json")),
                new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = folder }),
                new Lazy<OnlineStore>(() => new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(folder, "online.db") })));
            await store.ApplyAsync(FeatureRepo.LoadDefinitions(folder));
            await store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

            string[] plain = ["stats:conv_rate", "stats:price", "stats:trips"];
            string[] withOnDemand = [.. plain, "adjusted:conv_plus", "adjusted:price_usd", "adjusted:five_ops"];
            Console.WriteLine("| entity rows | without on-demand (mean) | with 3 on-demand features (mean) | added per entity row | bytes allocated a read (without on-demand) |");
            Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
            foreach (var rows in new[] { 1, 100 })
            {
                var entities = new Dictionary<string, IReadOnlyList<object?>>
                {
                    ["driver_id"] = Enumerable.Range(0, rows).Select(_ => (object?)(long)random.Next(Drivers)).ToArray(),
                    ["val_to_add"] = Enumerable.Range(0, rows).Select(i => (object?)(long)i).ToArray(),
                    ["currency"] = Enumerable.Range(0, rows).Select(i => (object?)(i % 2 == 0 ? "SEK" : "EUR")).ToArray(),
                };
                var n = rows == 1 ? iterations : iterations / 10;
                Task Read(string[] features) => store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest { Features = features, Entities = entities });

                // One round of each first, so that both paths are jitted to their final tier before measuring.
                await Latency.MeasureAsync(n, () => Read(plain));
                await Latency.MeasureAsync(n, () => Read(withOnDemand));
                var without = await Latency.MeasureAsync(n, () => Read(plain));
                var with = await Latency.MeasureAsync(n, () => Read(withOnDemand));
                var addedMicroseconds = (with.MeanTicks - without.MeanTicks) * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency / rows;

                // What one read allocates, the facade's tracing included (nothing while no listener is attached).
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < n; i++)
                {
                    await Read(plain);
                }

                var allocated = (GC.GetTotalAllocatedBytes(precise: true) - before) / n;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {rows} | {without.Mean} | {with.Mean} | {addedMicroseconds:0.00} µs | {allocated:N0} B |"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
