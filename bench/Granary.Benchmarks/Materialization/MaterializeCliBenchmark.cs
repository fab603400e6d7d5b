using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Granary.Testing;

namespace Granary.Benchmarks.Materialization;

/// <summary>
/// <c>granary materialize</c> end to end through the CLI: a Parquet source of R rows over K keys (R / K hourly
/// rows a key, 10 float64 features), one view, into SQLite or Redis (a redis-server started here). Each run is
/// the real executable under <c>/usr/bin/time -v</c>: wall time with the process start, peak resident memory.
/// Runs at two source sizes over the same keys, so that memory growing with rows rather than keys shows.
/// </summary>
internal static class MaterializeCliBenchmark
{
    private const int Features = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Arg(args, "--rows", 10_000_000);
        var keys = Arg(args, "--keys", 1_000_000);
        var stores = args.Contains("--sqlite-only") ? new[] { "sqlite" } : args.Contains("--redis-only") ? ["redis"] : ["sqlite", "redis"];
        var executable = FindExecutable();
        Console.WriteLine($"granary: {executable}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| store | source rows | keys | wall s (process start included) | source rows/s | peak RSS MiB | load average before |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var store in stores)
        {
            foreach (var size in new[] { rows / 5, rows })
            {
                await RunOnceAsync(executable, store, size, keys);
            }
        }

        return 0;
    }

    private static async Task RunOnceAsync(string executable, string store, int rows, int keys)
    {
        var folder = Directory.CreateTempSubdirectory("granary-bench-materialize-").FullName;
        RedisProcess? redis = null;
        try
        {
            var online = "{ type: sqlite, path: data/online.db }";
            if (store == "redis")
            {
                redis = await RedisProcess.StartAsync();
                online = $"{{ type: redis, connection_string: \"{redis.Endpoint}\" }}";
            }

            WriteRepo(folder, online, rows, keys);
            Run(executable, folder, "apply");
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var (seconds, peakKb) = Timed(executable, folder, "materialize", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {store} | {rows:N0} | {keys:N0} | {seconds:0.0} | {rows / seconds:N0} | {peakKb / 1024.0:N0} | {load} |"));
        }
        finally
        {
            redis?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void WriteRepo(string folder, string online, int rows, int keys)
    {
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        File.WriteAllText(Path.Combine(folder, "granary.yaml"), $"project: bench_materialize\noffline_store: {{ type: duckdb }}\nonline_store: {online}\n");
        var definitions = new StringBuilder("kind: entity\nname: driver\njoin_keys: [driver_id]\n");
        definitions.Append("---\nkind: file_source\nname: s\npath: data/s.parquet\n");
        definitions.Append("---\nkind: feature_view\nname: v\nentities: [driver]\nsource: s\nttl: 0\nschema:\n");
        for (var f = 0; f < Features; f++)
        {
            definitions.Append(CultureInfo.InvariantCulture, $"  - {{ name: f{f}, dtype: float64 }}\n");
        }

        File.WriteAllText(Path.Combine(folder, "features.yaml"), definitions.ToString());
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        var columns = string.Join(", ", Enumerable.Range(0, Features).Select(f => $"random() AS f{f}"));
        command.CommandText = "SET TimeZone = 'UTC'; COPY (SELECT (i % " + keys.ToString(CultureInfo.InvariantCulture) + ")::BIGINT AS driver_id, " +
            "TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_hours((i // " + keys.ToString(CultureInfo.InvariantCulture) + ")::BIGINT) AS event_timestamp, " +
            $"{columns} FROM range(0, {rows.ToString(CultureInfo.InvariantCulture)}) t(i)) TO '{Path.Combine(folder, "data", "s.parquet")}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }

    /// <summary>Runs granary under /usr/bin/time -v: wall seconds and the maximum resident set size in KiB.</summary>
    private static (double Seconds, long PeakKb) Timed(string executable, string repo, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-v", executable, "--repo", repo }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/usr/bin/time did not start (apt-get install time)");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"granary {string.Join(' ', args)} failed: {error.Result}");
        }

        var line = error.Result.Split('\n').First(l => l.Contains("Maximum resident set size", StringComparison.Ordinal));
        return (seconds, long.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture));
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

    private static string FindExecutable()
    {
        // artifacts/bin/Granary.Benchmarks/<pivot>/ -> artifacts/bin/Granary.Cli/<pivot>/granary
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, "Granary.Cli", Path.GetFileName(here), "granary");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the granary executable was not built at {path}");
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
