using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using Granary.Benchmarks.Online;
using Granary.Definitions;
using Granary.DuckDb;
using Granary.Online;
using Granary.Redis;
using Granary.Registry;
using Granary.Repo;
using Granary.Sqlite;
using Granary.Testing;

namespace Granary.Benchmarks.Online;

/// <summary>
/// Aggregation views online, through the <see cref="FeatureStore"/> facade as a user calls it:
/// materialization throughput (events read from a Parquet source by DuckDB per second), the state
/// size per entity, in-process read latency of 1 entity x 12 features (windows 1h/1d/7d x count,
/// sum, avg, max), and single-event push throughput with concurrent callers, on SQLite and Redis.
/// Arguments: <c>--keys</c> (default 100,000), <c>--events</c> (default 2,000,000), <c>--dense</c>
/// keys with an event every 10 minutes for 8 days (default 100), <c>--reads</c> (default 20,000),
/// <c>--pushes</c> (default 100,000), <c>--concurrency</c> (default 64), <c>--quick</c> for a smoke run.
/// </summary>
internal static class AggregationOnlineBenchmark
{
    private const string View = "txn";

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var keys = Arg(args, "--keys", quick ? 10_000 : 100_000);
        var events = Arg(args, "--events", quick ? 200_000 : 2_000_000);
        var dense = Arg(args, "--dense", quick ? 10 : 100);
        var reads = Arg(args, "--reads", quick ? 2_000 : 20_000);
        var pushes = Arg(args, "--pushes", quick ? 10_000 : 100_000);
        var concurrency = Arg(args, "--concurrency", 64);
        var now = TimeProvider.System.GetUtcNow();
        now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var folder = Directory.CreateTempSubdirectory("granary-bench-agg-").FullName;
        using var redisServer = await RedisProcess.StartAsync();
        try
        {
            var denseEvents = Generate(folder, keys, events, dense, now);
            var total = events + denseEvents;
            Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores");
            Console.WriteLine($"source: {total:N0} events = {events:N0} over {keys:N0} keys uniformly in the last 8 days + {dense} dense keys with one every 10 minutes ({denseEvents:N0})");
            Console.WriteLine();
            var lines = new List<string>
            {
                "| store | materialize: events | seconds | events/s | state bytes per key: p50 / p99 / dense | read 1 x 12: p50 | p99 | read dense key 1 x 12: p99 | push 1 event: events/s | push: CPU µs an event (this process) |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            };
            // A whole pass first, discarded, so that the measured ones run compiled code.
            await RunStoreAsync("warm-up", new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(folder, "warm-up.db") }),
                folder, now, keys, dense, Math.Min(reads, 2000), Math.Min(pushes, 5000), concurrency);
            foreach (var (name, create) in new (string, Func<Granary.Online.OnlineStore>)[]
            {
                ("SQLite", () => new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(folder, "online.db") })),
                ("Redis", () => new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redisServer.Endpoint })),
            })
            {
                lines.Add(await RunStoreAsync(name, create(), folder, now, keys, dense, reads, pushes, concurrency));
                Console.WriteLine(lines[^1]);
            }

            Console.WriteLine();
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RunStoreAsync(
        string name, Granary.Online.OnlineStore online, string folder, DateTimeOffset now, int keys, int dense, int reads, int pushes, int concurrency)
    {
        var config = new RepoConfig { RepoPath = folder, Project = "bench_" + name.ToLowerInvariant() };
        // Built as the feature server builds it: the host refreshes the registry, reads never wait for it.
        await using var store = new FeatureStore(
            config,
            new FileRegistry(Path.Combine(folder, $"registry-{name}.json")),
            new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = folder }),
            new Lazy<Granary.Online.OnlineStore>(online),
            options: new FeatureStoreOptions { RegistryRefresh = RegistryRefreshMode.ByHost });
        await store.ApplyAsync(Definitions());

        var clock = Stopwatch.StartNew();
        var done = await store.MaterializeAsync(now.AddDays(-8), now);
        var seconds = clock.Elapsed.TotalSeconds;
        var read = done.Single().Events!.Value;

        // State sizes: a sample of ordinary keys, and the dense ones.
        var sample = Enumerable.Range(0, Math.Min(keys, 2000)).Select(i => Key(i * (keys / Math.Min(keys, 2000)))).ToArray();
        var sizes = (await online.ReadAggregationStatesAsync(config.Project, View, sample)).Select(s => s?.Length ?? 0).Order().ToArray();
        var denseSizes = (await online.ReadAggregationStatesAsync(config.Project, View, Enumerable.Range(0, dense).Select(i => Key(-1 - i)).ToArray()))
            .Select(s => s?.Length ?? 0).ToArray();

        var features = Definitions().AggregationViews[0].Aggregations.SelectMany(a => a.Windows.Select(w => $"{View}:{AggregationView.FeatureName(a, w)}")).ToArray();
        var random = new Random(7);
        OnlineFeaturesRequest Request(long key) => new()
        {
            Features = features,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [key] },
        };
        var check = await store.GetOnlineFeaturesAsync(Request(-1));
        if (check.Results[1].Values[0] is not long count || count == 0)
        {
            throw new InvalidOperationException($"{name}: a dense key reads no events");
        }

        var latency = await Latency.MeasureAsync(reads, () => store.GetOnlineFeaturesAsync(Request(random.Next(keys))));
        var denseLatency = await Latency.MeasureAsync(reads / 4, () => store.GetOnlineFeaturesAsync(Request(-1 - random.Next(dense))));

        // Single-event pushes from `concurrency` callers sharing the store, as a server's requests would.
        async Task PushAsync(int count)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                var local = new Random(Environment.CurrentManagedThreadId);
                while (Interlocked.Increment(ref next) < count)
                {
                    await store.PushAsync("txn_push", new Dictionary<string, IReadOnlyList<object?>>
                    {
                        ["user_id"] = [(long)local.Next(keys)],
                        ["event_timestamp"] = [TimeProvider.System.GetUtcNow().AddSeconds(-local.Next(60))],
                        ["amount"] = [local.NextDouble() * 100],
                    });
                }
            })));
        }

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        clock.Restart();
        await PushAsync(pushes);
        var pushRate = pushes / clock.Elapsed.TotalSeconds;
        process.Refresh();
        var pushCpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / pushes;
        await store.TeardownAsync();

        return $"| {name} | {read:N0} | {seconds:0.0} | {read / seconds:N0} | {sizes[sizes.Length / 2]:N0} / {sizes[(int)(sizes.Length * 0.99)]:N0} / {denseSizes.Max():N0} | " +
            $"{latency.P50} | {latency.P99} | {denseLatency.P99} | {pushRate:N0} | {pushCpu:0} |";
    }

    private static DefinitionSet Definitions()
    {
        string[] windows = ["1h", "1d", "7d"];
        return new DefinitionSet
        {
            Entities = [new Entity { Name = "user", JoinKeys = ["user_id"] }],
            Sources =
            [
                new FileSource { Name = "events", Path = "events.parquet" },
                new PushSource { Name = "txn_push", BatchSource = "events" },
            ],
            AggregationViews =
            [
                new AggregationView
                {
                    Name = View,
                    Entities = ["user"],
                    Source = "txn_push",
                    Aggregations =
                    [
                        new Aggregation { Function = AggregationFunction.Count, Windows = windows },
                        new Aggregation { Column = "amount", Function = AggregationFunction.Sum, Windows = windows },
                        new Aggregation { Column = "amount", Function = AggregationFunction.Avg, Windows = windows },
                        new Aggregation { Column = "amount", Function = AggregationFunction.Max, Windows = windows },
                    ],
                },
            ],
        };
    }

    /// <summary>Writes events.parquet with DuckDB; returns the number of dense events.</summary>
    private static long Generate(string folder, int keys, int events, int dense, DateTimeOffset now)
    {
        var denseEach = 8 * 24 * 6;
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var end = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        command.CommandText = $"""
            SET TimeZone = 'UTC'; SELECT setseed(0.42);
            COPY (
              SELECT CAST(i % {keys} AS BIGINT) AS user_id,
                     TIMESTAMPTZ '{end}+00' - to_microseconds(CAST(1 + random() * 8 * 86400 * 1e6 AS BIGINT)) AS event_timestamp,
                     round(random() * 100, 2) AS amount
              FROM range({events}) t(i)
              UNION ALL
              SELECT CAST(-1 - (i % {dense}) AS BIGINT), TIMESTAMPTZ '{end}+00' - to_minutes(CAST(1 + (i // {dense}) * 10 AS BIGINT)), round(random() * 100, 2)
              FROM range({(long)dense * denseEach}) t(i)
            ) TO '{Path.Combine(folder, "events.parquet")}' (FORMAT parquet)
            """;
        command.ExecuteNonQuery();
        return (long)dense * denseEach;
    }

    private static EntityKey Key(long id) => new(["user_id"], [id]);

    private static int Arg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
