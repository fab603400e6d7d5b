using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Granary.Definitions;
using Granary.Online;
using Granary.Redis;
using Granary.Sqlite;
using Granary.Testing;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace Granary.Benchmarks.Online;

/// <summary>
/// Online read latency (p50, p99) through Granary's stores beside the bare client doing the same
/// round trips, and WriteBatchAsync throughput with the process's peak working set.
/// Arguments: <c>--quick</c> for a smoke run with fewer iterations and rows.
/// </summary>
internal static class OnlineBenchmark
{
    private const string Project = "bench";
    private const int ViewCount = 5;
    private const int FeaturesPerView = 10;
    private const int ReadEntities = 10_000;
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var singleIterations = quick ? 2_000 : 20_000;
        var batchIterations = quick ? 200 : 2_000;
        var writeRows = quick ? 100_000 : 1_000_000;

        using var redisServer = await RedisProcess.StartAsync();
        var folder = Directory.CreateTempSubdirectory("granary-bench-sqlite-").FullName;
        try
        {
            await using var sqlite = new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(folder, "online.db") });
            await using var redis = new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redisServer.Endpoint });
            var views = Enumerable.Range(0, ViewCount).Select(ReadView).ToArray();
            var reads = views.Select(v => new OnlineViewRead(v, v.Schema)).ToArray();
            foreach (var store in new OnlineStore[] { sqlite, redis })
            {
                await store.UpdateAsync(Project, views, []);
                foreach (var view in views)
                {
                    await store.WriteBatchAsync(Project, view, Enumerable.Range(0, ReadEntities).Select(i => ReadRow(view, i)).ToArray());
                }
            }

            var random = new Random(42);
            EntityKey RandomKey() => Key(random.Next(ReadEntities));
            EntityKey[] RandomKeys(int n) => Enumerable.Range(0, n).Select(_ => RandomKey()).ToArray();
            var lines = new List<string>
            {
                "| measurement | p50 | p99 | mean | iterations |",
                "| --- | ---: | ---: | ---: | ---: |",
            };
            var results = new Dictionary<string, Latency>();
            async Task Measure(string name, int iterations, Func<Task> action)
            {
                var latency = await Latency.MeasureAsync(iterations, action);
                results[name] = latency;
                lines.Add($"| {name} | {latency.P50} | {latency.P99} | {latency.Mean} | {iterations:N0} |");
                Console.WriteLine(lines[^1]);
            }

            // SQLite, 1 entity x 50 features over 5 views.
            await Check(sqlite.ReadAsync(Project, reads, [Key(1)]));
            using var bareSqlite = BareSqlite.Open(Path.Combine(folder, "online.db"), views);
            await Measure("SQLite: Granary ReadAsync 1 x 50", singleIterations, () => sqlite.ReadAsync(Project, reads, [RandomKey()]));
            await Measure("SQLite: bare SELECT (5 prepared statements) 1 x 50", singleIterations, () =>
            {
                bareSqlite.Read(RandomKey());
                return Task.CompletedTask;
            });

            // Redis, 1 and 100 entities x 50 features.
            await Check(redis.ReadAsync(Project, reads, [Key(1)]));
            await using var bareRedis = await ConnectionMultiplexer.ConnectAsync(redisServer.Endpoint);
            var db = bareRedis.GetDatabase();
            // The fields the store's layout keeps the views' rows in (docs/online-redis.md): one a view.
            var fields = views.Select(RedisLayout.RowField).ToArray();
            await Measure("Redis: Granary ReadAsync 1 x 50", singleIterations, () => redis.ReadAsync(Project, reads, [RandomKey()]));
            await Measure("Redis: bare HMGET 1 x 50", singleIterations, () => db.HashGetAsync(Project + ":" + RandomKey().Canonical, fields));
            await Measure("Redis: Granary ReadAsync 100 x 50", batchIterations, () => redis.ReadAsync(Project, reads, RandomKeys(100)));
            await Measure("Redis: bare pipelined HMGET 100 x 50", batchIterations, () =>
                Task.WhenAll(RandomKeys(100).Select(k => db.HashGetAsync(Project + ":" + k.Canonical, fields))));

            lines.Add(string.Empty);
            lines.Add("| Granary / bare | p50 | p99 |");
            lines.Add("| --- | ---: | ---: |");
            foreach (var (granary, bare) in new[]
            {
                ("SQLite: Granary ReadAsync 1 x 50", "SQLite: bare SELECT (5 prepared statements) 1 x 50"),
                ("Redis: Granary ReadAsync 1 x 50", "Redis: bare HMGET 1 x 50"),
                ("Redis: Granary ReadAsync 100 x 50", "Redis: bare pipelined HMGET 100 x 50"),
            })
            {
                lines.Add($"| {granary.Replace("Granary ReadAsync ", string.Empty, StringComparison.Ordinal)} | " +
                    $"{results[granary].P50Ticks / (double)results[bare].P50Ticks:0.00} | {results[granary].P99Ticks / (double)results[bare].P99Ticks:0.00} |");
            }

            lines.Add(string.Empty);
            lines.Add("| write (WriteBatchAsync, 10 features a row) | rows | seconds | rows/s | peak working set | CPU µs a row: this process | CPU µs a row: redis-server |");
            lines.Add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (name, store) in new (string, OnlineStore)[] { ("SQLite", sqlite), ("Redis", redis) })
            {
                lines.Add(await WriteThroughputAsync(name, store, writeRows, () => RedisCpuSecondsAsync(db)));
                Console.WriteLine(lines[^1]);
            }

            var scripts = (await db.ExecuteAsync("INFO", "commandstats")).ToString().Split('\n')
                .FirstOrDefault(l => l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal))?.Trim();
            lines.Add(string.Empty);
            lines.Add($"Redis server-side script statistics: `{scripts}` (100 rows a call).");
            Console.WriteLine();
            Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, " +
                $"SQLite {bareSqlite.Version}, Redis {(await db.ExecuteAsync("INFO", "server")).ToString().Split('\n').First(l => l.StartsWith("redis_version", StringComparison.Ordinal)).Trim()}");
            Console.WriteLine();
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>redis-server's own CPU time so far (user + system), from INFO cpu.</summary>
    private static async Task<double> RedisCpuSecondsAsync(IDatabase db)
    {
        var info = (await db.ExecuteAsync("INFO", "cpu")).ToString().Split('\n');
        double Field(string name) => double.Parse(info.First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
        return Field("used_cpu_user") + Field("used_cpu_sys");
    }

    private static async Task<string> WriteThroughputAsync(string name, OnlineStore store, int total, Func<Task<double>> redisCpu)
    {
        const int batch = 100_000;
        var view = WriteView();
        await store.UpdateAsync(Project, [view], []);
        using var sampler = new PeakWorkingSet();
        var elapsed = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        var serverCpu = 0.0;
        using var process = Process.GetCurrentProcess();
        for (var start = 0; start < total; start += batch)
        {
            var rows = Enumerable.Range(start, Math.Min(batch, total - start)).Select(i => WriteRow(i)).ToArray();
            var serverBefore = await redisCpu();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await store.WriteBatchAsync(Project, view, rows);
            elapsed += watch.Elapsed;
            process.Refresh();
            cpu += process.TotalProcessorTime - cpuBefore;
            serverCpu += await redisCpu() - serverBefore;
        }

        var check = await store.ReadAsync(Project, [new OnlineViewRead(view, view.Schema)], [Key(total - 1)]);
        if (check[0][0] is not { } last || (long)last.Values[0]! != total - 1)
        {
            throw new InvalidOperationException($"{name}: the last row written does not read back");
        }

        return $"| {name} | {total:N0} | {elapsed.TotalSeconds:0.0} | {total / elapsed.TotalSeconds:N0} | {sampler.Peak / (1024.0 * 1024):N0} MiB | " +
            $"{cpu.TotalMicroseconds / total:0.0} | {(store is RedisOnlineStore ? (serverCpu * 1e6 / total).ToString("0.0", CultureInfo.InvariantCulture) : "-")} |";
    }

    private static async Task Check(Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> read)
    {
        var result = await read;
        if (result.Count != ViewCount || result.Any(v => v[0] is not { Values.Count: FeaturesPerView }))
        {
            throw new InvalidOperationException("the benchmark data does not read back");
        }
    }

    private static EntityKey Key(long id) => new(["driver_id"], [id]);

    private static readonly string[] Dtypes = ["int64", "float64", "float32", "int32", "bool", "string", "unix_timestamp", "int64_list", "float64_list", "string"];

    private static FeatureView ReadView(int index) => new()
    {
        Name = "view" + index.ToString(CultureInfo.InvariantCulture),
        Entities = ["driver"],
        Source = "src",
        Schema = Dtypes.Select((dtype, f) => new Field { Name = "f" + f.ToString(CultureInfo.InvariantCulture), Dtype = DataType.Parse(dtype) }).ToArray(),
    };

    private static FeatureView WriteView() => ReadView(9) with { Name = "writes" };

    private static object?[] Values(long i) =>
    [
        i, i * 0.5, (float)i, (int)(i % 1000), i % 2 == 0, "name" + (i % 1000).ToString(CultureInfo.InvariantCulture), T0.AddSeconds(i),
        new[] { i, i + 1, i + 2 }, new[] { 0.1, 0.2, 0.3 }, null,
    ];

    private static OnlineRow ReadRow(FeatureView view, int i) => new(Key(i), T0, Values(i));

    private static OnlineRow WriteRow(int i) => new(Key(i), T0, Values(i));

    /// <summary>The process's working set sampled every 10 ms; the largest value seen.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly Timer _timer;
        private long _peak = Environment.WorkingSet;

        public PeakWorkingSet() => _timer = new Timer(_ => Sample(), null, 0, 10);

        public long Peak
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _peak);
            }
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var now = Environment.WorkingSet;
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
            {
            }
        }
    }
}
