using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using DuckDB.NET.Data;
using Granary.Testing;

namespace Granary.Benchmarks.Server;

/// <summary>
/// Load on the real <c>granary serve</c> executable over loopback: a repo of 5 views x 10 float64
/// features over 1,000 drivers, materialized into Redis (a redis-server started here) or SQLite; a
/// C# load generator of N concurrent loops (one keep-alive connection each), bounded in time, runs
/// each case after a warm-up and reports p50, p99 and requests per second.
/// </summary>
internal static class FeatureServerBenchmark
{
    private const int Views = 5;
    private const int FeaturesPerView = 10;
    private const int Drivers = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 10);
        var backends = args.Contains("--sqlite-only") ? new[] { "sqlite" } : args.Contains("--redis-only") ? ["redis"] : ["redis", "sqlite"];
        var i = Array.IndexOf(args, "--granary"); // another build's executable, for a before/after comparison
        var executable = i >= 0 && i + 1 < args.Length ? Path.GetFullPath(args[i + 1]) : FindExecutable();
        Console.WriteLine($"granary: {executable}; {seconds} s per case after a 2 s warm-up; {Environment.ProcessorCount} cores");
        Console.WriteLine("| store | case | connections | requests | p50 ms | p99 ms | requests/s | server CPU µs/request |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var backend in backends)
        {
            await RunBackendAsync(executable, backend, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(Arg(args, "--hold", 0)));
        }

        return 0;
    }

    /// <summary>
    /// <c>server-logging</c>: the same server on SQLite, reads of 1 entity x 50 features by a feature service without
    /// logging and by one logging at sample rate 1.0, in rounds of off, on, off again: each round compares the logged
    /// case with the two beside it, and the second off with the first (the machine's own spread); the medians over
    /// the rounds are the figures, since a single p99 at 32 connections moves by more than the 10% in question.
    /// </summary>
    public static async Task<int> RunLoggingAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 5);
        var rounds = Arg(args, "--rounds", 6);
        var executable = FindExecutable();
        var duration = TimeSpan.FromSeconds(seconds);
        var folder = Directory.CreateTempSubdirectory("granary-bench-server-logging-").FullName;
        Process? server = null;
        try
        {
            WriteRepo(folder, "{ type: sqlite, path: data/online.db }", services: true);
            Run(executable, folder, "apply");
            Run(executable, folder, "materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
            var port = LoopbackPort.Free();
            server = Process.Start(new ProcessStartInfo(executable)
            {
                ArgumentList = { "serve", "--repo", folder, "--port", port.ToString(CultureInfo.InvariantCulture), "--grpc-port", LoopbackPort.Free().ToString(CultureInfo.InvariantCulture) },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            await WaitForHealthAsync(baseAddress);
            Console.WriteLine($"granary: {executable}; {rounds} rounds of off, 1.0, off again; {seconds} s per case after a 2 s warm-up; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| logging | round | connections | requests | p50 ms | p99 ms | requests/s | server CPU µs/request |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");

            // Each round measures off, on, off again (A B A): the logged case against the mean of the two beside it,
            // which cancels a drift of the machine's load within the round, and the second off against the
            // first, the same service twice: what the machine alone moves a figure by, the yardstick for the first.
            // The logged case's last rows are written before the second off starts (below).
            var ratios = new Dictionary<int, (List<double> P99, List<double> Rps, List<double> ControlP99, List<double> ControlRps)>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var connections in new[] { 1, 32 })
                {
                    var results = new List<Result>();
                    foreach (var (logging, service) in new[] { ("off", "plain"), ("1.0", "logged"), ("off", "plain") })
                    {
                        var result = await LoadAsync(server.Id, baseAddress, "/get-online-features", ServiceBodies(service), connections, duration);
                        results.Add(result);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {logging} | {round} | {connections} | {result.Requests:N0} | {result.P50:0.000} | {result.P99:0.000} | {result.Rps:N0} | {result.ServerCpuMicroseconds:N0} |"));
                        if (service == "logged")
                        {
                            // The rows short of a full batch are written at the next timed flush (10 s by default): wait
                            // for it, so that it falls in no case rather than in the next one.
                            await Task.Delay(TimeSpan.FromSeconds(11));
                        }
                    }

                    var (before, on, after) = (results[0], results[1], results[2]);
                    var r = ratios.TryGetValue(connections, out var found) ? found : ratios[connections] = ([], [], [], []);
                    r.P99.Add(on.P99 / ((before.P99 + after.P99) / 2));
                    r.Rps.Add(on.Rps / ((before.Rps + after.Rps) / 2));
                    r.ControlP99.Add(after.P99 / before.P99);
                    r.ControlRps.Add(after.Rps / before.Rps);
                }
            }

            foreach (var (connections, r) in ratios)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{connections} connection(s), median over {rounds} rounds: logging at 1.0 against off: p99 {Median(r.P99) - 1:+0.0%;-0.0%} " +
                    $"(rounds: {string.Join(", ", r.P99.Select(x => (x - 1).ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)))}), " +
                    $"throughput {Median(r.Rps) - 1:+0.0%;-0.0%}; off against off (the machine's own spread): p99 {Median(r.ControlP99) - 1:+0.0%;-0.0%} " +
                    $"(rounds: {string.Join(", ", r.ControlP99.Select(x => (x - 1).ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)))}), throughput {Median(r.ControlRps) - 1:+0.0%;-0.0%}"));
            }

            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(10_000);
            }

            server?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>64 bodies reading the service's 50 features for one driver each, the drivers rotating.</summary>
    private static byte[][] ServiceBodies(string service) =>
        Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes($$$"""{"feature_service": "{{{service}}}", "entities": {"driver_id": [{{{1 + (i * 97 % Drivers)}}}]}, "full_feature_names": true}""")).ToArray();

    private static async Task RunBackendAsync(string executable, string backend, TimeSpan duration, TimeSpan hold)
    {
        var folder = Directory.CreateTempSubdirectory("granary-bench-server-").FullName;
        RedisProcess? redis = null;
        Process? server = null;
        try
        {
            var online = "{ type: sqlite, path: data/online.db }";
            if (backend == "redis")
            {
                redis = await RedisProcess.StartAsync();
                online = $"{{ type: redis, connection_string: \"{redis.Endpoint}\" }}";
            }

            WriteRepo(folder, online);
            Run(executable, folder, "apply");
            Run(executable, folder, "materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
            var port = LoopbackPort.Free();
            server = Process.Start(new ProcessStartInfo(executable)
            {
                ArgumentList = { "serve", "--repo", folder, "--port", port.ToString(CultureInfo.InvariantCulture), "--grpc-port", LoopbackPort.Free().ToString(CultureInfo.InvariantCulture) },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            await WaitForHealthAsync(baseAddress);

            var one = Bodies(1);
            var hundred = Bodies(100);
            if (hold > TimeSpan.Zero)
            {
                // For an external load generator (bench/server-wrk.sh): the server stays up, its address on stdout.
                File.WriteAllBytes(Path.Combine(folder, "body-1x50.json"), one[0]);
                // Beside it, the floor of this machine: an empty endpoint that answers the same body with the same bytes.
                using var client = new HttpClient { BaseAddress = baseAddress };
                using var content = new ByteArrayContent(one[0]);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var answer = await client.PostAsync(new Uri("/get-online-features", UriKind.Relative), content);
                await using var floor = await KestrelFloor.StartAsync(await answer.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync());
                // It stops when the file "stop" appears in the repo folder, or after the hold.
                Console.WriteLine($"FLOOR {floor.Address}");
                Console.WriteLine($"READY {backend} {baseAddress} pid {server.Id} body {Path.Combine(folder, "body-1x50.json")}");
                var until = Stopwatch.StartNew();
                while (until.Elapsed < hold && !File.Exists(Path.Combine(folder, "stop")))
                {
                    await Task.Delay(200);
                }

                return;
            }

            var single = await LoadAsync(server.Id, baseAddress, "/get-online-features", one, 1, duration);
            Report(backend, "1 entity x 50 features", 1, single);
            var many = await LoadAsync(server.Id, baseAddress, "/get-online-features", one, 32, duration);
            Report(backend, "1 entity x 50 features", 32, many);
            var health = await LoadAsync(server.Id, baseAddress, "/health", null, 32, duration);
            Report(backend, "GET /health", 32, health);
            Console.WriteLine($"| {backend} | ratio get-online-features / health at 32 connections | | | | | {many.Rps / health.Rps:P0} | |");
            var wide = await LoadAsync(server.Id, baseAddress, "/get-online-features", hundred, 1, duration);
            Report(backend, "100 entities x 50 features", 1, wide);
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(10_000);
            }

            server?.Dispose();
            redis?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>64 request bodies, each asking for all 50 features of <paramref name="entities"/> drivers, the drivers rotating.</summary>
    private static byte[][] Bodies(int entities)
    {
        var features = string.Join(", ", Enumerable.Range(0, Views).SelectMany(v => Enumerable.Range(0, FeaturesPerView).Select(f => $"\"v{v}:f{f}\"")));
        return Enumerable.Range(0, 64).Select(i =>
        {
            var ids = string.Join(", ", Enumerable.Range(0, entities).Select(e => 1 + ((i * 97) + e) % Drivers));
            return Encoding.UTF8.GetBytes($$$"""{"features": [{{{features}}}], "entities": {"driver_id": [{{{ids}}}]}, "full_feature_names": true}""");
        }).ToArray();
    }

    private sealed record Result(long Requests, double P50, double P99, double Rps, double ServerCpuMicroseconds);

    private static async Task<Result> LoadAsync(int serverPid, Uri baseAddress, string path, byte[][]? bodies, int connections, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var uri = new Uri(path, UriKind.Relative);
        var warmUp = TimeSpan.FromSeconds(2);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var latencies = new List<long>(100_000);
            var i = w;
            while (clock.Elapsed < warmUp + duration)
            {
                using var request = new HttpRequestMessage(bodies is null ? HttpMethod.Get : HttpMethod.Post, uri);
                if (bodies is not null)
                {
                    request.Content = new ByteArrayContent(bodies[i++ % bodies.Length]);
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                }

                var measuring = clock.Elapsed >= warmUp;
                var start = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                _ = await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetTimestamp() - start;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                if (measuring)
                {
                    latencies.Add(elapsed);
                }
            }

            return latencies;
        })).ToArray();
        await Task.Delay(warmUp);
        var cpuBefore = CpuSeconds(serverPid);
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).Order().ToArray();
        var cpu = CpuSeconds(serverPid) - cpuBefore;
        double Ms(double quantile) => all[Math.Min(all.Length - 1, (int)(quantile * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new Result(all.Length, Ms(0.50), Ms(0.99), all.Length / duration.TotalSeconds, cpu * 1e6 / all.Length);
    }

    /// <summary>User plus system CPU time of a process, from /proc (clock ticks of 10 ms).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static void Report(string backend, string name, int connections, Result result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {backend} | {name} | {connections} | {result.Requests:N0} | {result.P50:0.000} | {result.P99:0.000} | {result.Rps:N0} | {result.ServerCpuMicroseconds:N0} |"));

    internal static void WriteRepo(string folder, string online, bool services = false)
    {
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        File.WriteAllText(Path.Combine(folder, "granary.yaml"), $"project: bench_server\noffline_store: {{ type: duckdb }}\nonline_store: {online}\n");
        var definitions = new StringBuilder("kind: entity\nname: driver\njoin_keys: [driver_id]\n");
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        for (var v = 0; v < Views; v++)
        {
            definitions.Append(CultureInfo.InvariantCulture, $"---\nkind: file_source\nname: s{v}\npath: data/s{v}.parquet\n");
            definitions.Append(CultureInfo.InvariantCulture, $"---\nkind: feature_view\nname: v{v}\nentities: [driver]\nsource: s{v}\nttl: 0\nschema:\n");
            for (var f = 0; f < FeaturesPerView; f++)
            {
                definitions.Append(CultureInfo.InvariantCulture, $"  - {{ name: f{f}, dtype: float64 }}\n");
            }

            using var command = duck.CreateCommand();
            var columns = string.Join(", ", Enumerable.Range(0, FeaturesPerView).Select(f => $"random() AS f{f}"));
            command.CommandText = $"SET TimeZone = 'UTC'; COPY (SELECT i::BIGINT AS driver_id, TIMESTAMPTZ '2024-01-01 12:00:00+00' AS event_timestamp, {columns} " +
                $"FROM range(1, {Drivers + 1}) t(i)) TO '{Path.Combine(folder, "data", $"s{v}.parquet")}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        if (services)
        {
            var views = string.Join(", ", Enumerable.Range(0, Views).Select(v => $"v{v}"));
            definitions.Append(CultureInfo.InvariantCulture, $"---\nkind: feature_service\nname: plain\nfeatures: [{views}]\n");
            definitions.Append(CultureInfo.InvariantCulture, $"---\nkind: feature_service\nname: logged\nfeatures: [{views}]\nlogging: {{ sample_rate: 1.0 }}\n");
        }

        File.WriteAllText(Path.Combine(folder, "features.yaml"), definitions.ToString());
    }

    private static void Run(string executable, string repo, params string[] args)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--repo", repo }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"granary {string.Join(' ', args)} failed: {error.Result}");
        }
    }

    private static async Task WaitForHealthAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("granary serve did not become healthy within 30 s");
    }

    private static string FindExecutable()
    {
        // artifacts/bin/Granary.Benchmarks/<pivot>/ -> artifacts/bin/Granary.Cli/<pivot>/granary
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, "Granary.Cli", Path.GetFileName(here), "granary");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the granary executable was not built at {path}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
