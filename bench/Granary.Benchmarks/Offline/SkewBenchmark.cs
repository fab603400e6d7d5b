using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Granary.FeatureLogs;
using Granary.Offline;
using Granary.Online;
using Granary.Repo;

namespace Granary.Benchmarks.Offline;

/// <summary>
/// <c>granary skew</c> over N logged rows against <c>get-historical-features</c> for the same rows: a service of one
/// view (10 float64 features over K drivers, R rows each) is materialized into SQLite and read in batches of 1,000
/// entity rows through the facade with logging at sample rate 1.0; then skew runs over every logged row, and
/// training data is computed for the same (driver, read time) rows to Parquet. Skew does that same join and
/// compares; the bound is at most 2x. Each run's wall time, CPU time (all threads of the process) and peak
/// resident memory are its own; CPU time is the steadier measure on a shared machine.
/// </summary>
internal static class SkewBenchmark
{
    private const int Features = 10;
    private const int Batch = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Arg(args, "--rows", 1_000_000);
        var keys = Arg(args, "--keys", 10_000);
        var rowsPerKey = Arg(args, "--rows-per-key", 10);
        var folder = Directory.CreateTempSubdirectory("granary-bench-skew-").FullName;
        try
        {
            Console.WriteLine($"logged rows: {rows:N0}; source: {keys:N0} drivers x {rowsPerKey} rows, {Features} float64 features; {Environment.ProcessorCount} cores");
            WriteRepo(folder, keys, rowsPerKey);
            var options = new FeatureStoreOptions { FeatureLogs = new FeatureLogOptions { QueueRows = rows + Batch, FlushRows = 100_000 } };
            var clock = Stopwatch.StartNew();
            await using (var store = Open(folder, options))
            {
                await store.ApplyAsync(FeatureRepo.LoadDefinitions(folder));
                await store.MaterializeAsync(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero));
                for (var done = 0; done < rows; done += Batch)
                {
                    var ids = Enumerable.Range(done, Math.Min(Batch, rows - done)).Select(i => (object?)(long)(1 + (i % keys))).ToArray();
                    await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
                    {
                        FeatureService = "logged",
                        Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = ids },
                    });
                }
            }

            Console.WriteLine($"served and logged in {clock.Elapsed.TotalSeconds:0.0} s");
            var entities = Path.Combine(folder, "entities.parquet");
            using (var duck = new DuckDBConnection("Data Source=:memory:"))
            {
                duck.Open();
                using var command = duck.CreateCommand();
                command.CommandText = $"SET TimeZone = 'UTC'; COPY (SELECT driver_id, __log_timestamp::TIMESTAMPTZ AS event_timestamp FROM read_parquet('{folder}/data/feature_logs/**/*.parquet')) TO '{entities}' (FORMAT parquet)";
                command.ExecuteNonQuery();
            }

            await using var reader = Open(folder, options);
            ResetPeak();
            clock.Restart();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await using (var result = await reader.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityInput.FromFile(entities), FeatureService = "logged" }))
            {
                await result.WriteAsync(Path.Combine(folder, "training.parquet"));
            }

            var historical = clock.Elapsed.TotalSeconds;
            var historicalCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var historicalPeak = PeakMegabytes();
            ResetPeak();
            clock.Restart();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var report = await reader.ComputeSkewAsync("logged");
            var skew = clock.Elapsed.TotalSeconds;
            var skewCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var skewPeak = PeakMegabytes();
            Console.WriteLine($"| logged rows | get-historical-features s (CPU s) | skew s (CPU s) | skew / historical | mismatches | peak RSS historical MB | peak RSS skew MB |");
            Console.WriteLine($"| --- | --- | --- | --- | --- | --- | --- |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {report.Rows:N0} | {historical:0.00} ({historicalCpu:0.00}) | {skew:0.00} ({skewCpu:0.00}) | {skew / historical:0.00} | {report.Features.Sum(f => f.Mismatches):N0} | {historicalPeak:N0} | {skewPeak:N0} |"));
            return report.Rows == rows ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Resets the process's peak resident set (VmHWM) after a full collection, so that each phase's peak is its own
    /// (Linux: writing 5 to clear_refs); the memory the serving phase left behind is returned first.
    /// </summary>
    private static void ResetPeak()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    private static long PeakMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    private static FeatureStore Open(string folder, FeatureStoreOptions options) =>
        new FeatureStoreBuilder(FeatureRepo.LoadConfig(folder)) { Options = options }.AddDuckDb().AddSqlite().Build();

    private static void WriteRepo(string folder, int keys, int rowsPerKey)
    {
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        File.WriteAllText(Path.Combine(folder, "granary.yaml"), "project: bench_skew\noffline_store: { type: duckdb }\nonline_store: { type: sqlite, path: data/online.db }\n");
        var schema = string.Concat(Enumerable.Range(0, Features).Select(f => $"  - {{ name: f{f}, dtype: float64 }}\n"));
        File.WriteAllText(Path.Combine(folder, "features.yaml"),
            $"kind: entity\nname: driver\njoin_keys: [driver_id]\n---\nkind: file_source\nname: stats\npath: data/stats.parquet\n---\n" +
            $"kind: feature_view\nname: stats\nentities: [driver]\nsource: stats\nttl: 0\nschema:\n{schema}---\n" +
            "kind: feature_service\nname: logged\nfeatures: [stats]\nlogging: { sample_rate: 1.0 }\n");
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        var columns = string.Join(", ", Enumerable.Range(0, Features).Select(f => $"random() AS f{f}"));
        command.CommandText = $"SET TimeZone = 'UTC'; SELECT setseed(0.42); COPY (SELECT (i % {keys} + 1)::BIGINT AS driver_id, " +
            $"TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_hours((i // {keys})::BIGINT) AS event_timestamp, {columns} " +
            $"FROM range({(long)keys * rowsPerKey}) t(i)) TO '{folder}/data/stats.parquet' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
