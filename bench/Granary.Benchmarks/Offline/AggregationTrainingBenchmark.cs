using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Granary.Definitions;
using Granary.Offline;
using Granary.Repo;

namespace Granary.Benchmarks.Offline;

/// <summary>
/// Training data of an aggregation view on DuckDB, end to end: N entity rows, each getting count,
/// sum, avg and max of amount over 1h, 1d and 7d (12 features) from E events of K keys spread over
/// 30 days, written to Parquet. Phases run in child processes so that each peak memory (VmHWM) is
/// its own: the hand-written baseline (<see cref="AggregationBaseline"/>) and Granary, each on
/// uniform events and on skewed events (one key holds 10% of them); runs alternate so that both see
/// the same machine. The outputs are compared value by value at the end.
/// </summary>
internal static class AggregationTrainingBenchmark
{
    private const string Exact = "0";

    public static async Task<int> RunAsync(string[] args)
    {
        var keys = Arg(args, "--keys", 100_000);
        var events = Arg(args, "--events", 10_000_000);
        var entities = Arg(args, "--entities", 1_000_000);
        var runs = Arg(args, "--runs", 2);
        var hop = args.Contains("--exact") ? Exact : "auto";
        var folder = Path.Combine(Path.GetTempPath(), $"granary-bench-agg-{keys}-{events}-{entities}");
        Directory.CreateDirectory(folder);
        Console.WriteLine($"events: {events:N0} over {keys:N0} keys and 30 days; entity rows: {entities:N0}; hops: {hop}; folder {folder}");
        if (!File.Exists(Path.Combine(folder, "entities.parquet")))
        {
            Generate(folder, keys, events, entities);
        }

        var results = new Dictionary<string, List<(double Seconds, double PeakMb, double CpuSeconds)>>(StringComparer.Ordinal);
        for (var run = 0; run < runs; run++)
        {
            foreach (var data in new[] { "uniform", "skewed" })
            {
                foreach (var phase in new[] { "baseline", "granary" })
                {
                    var name = $"{phase} {data}";
                    var measured = Phase(phase, folder, data, hop);
                    Console.WriteLine($"run {run + 1}: {name,-18} {measured.Seconds,7:0.00} s, CPU {measured.CpuSeconds,7:0.00} s, peak {measured.PeakMb:N0} MB, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
                    (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(measured);
                }
            }
        }

        // Wall time is what a user waits; CPU time (of every thread of the phase's process) moves
        // less with what else the machine runs, so both are reported, each the best of the runs.
        double Best(string name) => results[name].Min(r => r.Seconds);
        double Cpu(string name) => results[name].Min(r => r.CpuSeconds);
        Console.WriteLine();
        Console.WriteLine("| data | hand-written DuckDB: wall (CPU) | Granary: wall (CPU) | Granary / hand-written: wall (CPU) | Granary peak memory |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var data in new[] { "uniform", "skewed" })
        {
            var (baseline, granary) = ($"baseline {data}", $"granary {data}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {data} | {Best(baseline):0.00} s ({Cpu(baseline):0.00} s) | {Best(granary):0.00} s ({Cpu(granary):0.00} s) | " +
                $"{Best(granary) / Best(baseline):0.00} ({Cpu(granary) / Cpu(baseline):0.00}) | {results[granary].Max(r => r.PeakMb):N0} MB |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"skewed / uniform, wall (CPU): Granary {Best("granary skewed") / Best("granary uniform"):0.00} ({Cpu("granary skewed") / Cpu("granary uniform"):0.00}), " +
            $"hand-written {Best("baseline skewed") / Best("baseline uniform"):0.00} ({Cpu("baseline skewed") / Cpu("baseline uniform"):0.00})"));
        foreach (var data in new[] { "uniform", "skewed" })
        {
            Console.WriteLine($"{data}: {Compare(folder, data)}");
        }

        return 0;
    }

    /// <summary>Runs one measured phase in this process and prints "seconds peak_mb cpu_seconds".</summary>
    public static async Task<int> RunPhaseAsync(string[] args)
    {
        var (phase, folder, data, hop) = (args[0], args[1], args[2], args[3]);
        var events = data == "uniform" ? "events.parquet" : "events_skewed.parquet";
        var output = Path.Combine(folder, $"out-{phase}-{data}.parquet");
        var clock = Stopwatch.StartNew();
        if (phase == "baseline")
        {
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = AggregationBaseline.Sql(Path.Combine(folder, "entities.parquet"), Path.Combine(folder, events), output, hop == Exact);
            command.ExecuteNonQuery();
        }
        else
        {
            await RunGranaryAsync(folder, events, output, hop);
        }

        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:0.000} {PeakMb():0} {cpu:0.000}"));
        return 0;
    }

    private static async Task RunGranaryAsync(string folder, string events, string output, string hop)
    {
        var config = new RepoConfig { RepoPath = folder, Project = "bench_agg" };
        string[] windows = ["1h", "1d", "7d"];
        var definitions = new DefinitionSet
        {
            Entities = [new Entity { Name = "user", JoinKeys = ["user_id"] }],
            Sources = [new FileSource { Name = "txns", Path = events }],
            AggregationViews =
            [
                new AggregationView
                {
                    Name = "txn",
                    Entities = ["user"],
                    Source = "txns",
                    Hop = hop == Exact ? TimeSpan.Zero : null,
                    Online = false,
                    Aggregations =
                    [
                        new Aggregation { Function = AggregationFunction.Count, Windows = windows },
                        new Aggregation { Function = AggregationFunction.Sum, Column = "amount", Windows = windows },
                        new Aggregation { Function = AggregationFunction.Avg, Column = "amount", Windows = windows },
                        new Aggregation { Function = AggregationFunction.Max, Column = "amount", Windows = windows },
                    ],
                },
            ],
        };
        await using var store = new FeatureStoreBuilder(config).AddDuckDb().Build();
        await store.ApplyAsync(definitions);

        // Window by window, as the baseline orders its columns.
        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityInput.FromFile(Path.Combine(folder, "entities.parquet")),
            Features = windows.SelectMany(w => new[] { $"txn:count_{w}", $"txn:amount_sum_{w}", $"txn:amount_avg_{w}", $"txn:amount_max_{w}" }).ToArray(),
        });
        await result.WriteAsync(output, new ResultFileOptions { Overwrite = true });
    }

    private static (double Seconds, double PeakMb, double CpuSeconds) Phase(string phase, string folder, string data, string hop)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { Environment.GetCommandLineArgs()[0], "offline-agg-phase", phase, folder, data, hop }.Skip(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? 0 : 1))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var lines = process.StandardOutput.ReadToEnd().Trim().Split('\n');
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"phase {phase} {data} failed: {string.Join('\n', lines)}");
        }

        var parts = lines[^1].Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Row by row, in order: the same keys and times, equal counts, floats within 1e-9 relative.</summary>
    private static string Compare(string folder, string data)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        static string Close(string column) =>
            $"(a.{column} IS NOT DISTINCT FROM b.{column} OR abs(a.{column} - b.{column}) <= 1e-9 * greatest(abs(a.{column}), abs(b.{column})))";
        var checks = string.Join(" AND ", new[] { "1h", "1d", "7d" }.SelectMany(w => new[]
        {
            $"a.count_{w} = b.count_{w}", Close($"amount_sum_{w}"), Close($"amount_avg_{w}"), $"a.amount_max_{w} IS NOT DISTINCT FROM b.amount_max_{w}",
        }));
        command.CommandText = $"""
            SET TimeZone = 'UTC';
            SELECT count(*), count(*) FILTER (WHERE NOT ({checks} AND a.user_id = b.user_id AND a.event_timestamp = b.event_timestamp))
            FROM read_parquet('{folder}/out-baseline-{data}.parquet', file_row_number = true) a
            JOIN read_parquet('{folder}/out-granary-{data}.parquet', file_row_number = true) b USING (file_row_number)
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return $"{reader.GetInt64(0):N0} rows compared, {reader.GetInt64(1):N0} differ";
    }

    private static void Generate(string folder, int keys, int events, int entities)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();

        // Event and entity times fall anywhere in 30 days from 2024-01-01, to the microsecond; amounts
        // have cents. The skewed events give key 0 every tenth event, 10% of them.
        const string Time = "TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds((random() * 30 * 86400e6)::BIGINT)";
        command.CommandText = $"""
            SET TimeZone = 'UTC';
            SELECT setseed(0.42);
            COPY (SELECT (i % {keys})::BIGINT AS user_id, {Time} AS event_timestamp, round(random() * 100, 2) AS amount
                  FROM range({events}) t(i)) TO '{folder}/events.parquet' (FORMAT parquet);
            COPY (SELECT CASE WHEN i % 10 = 0 THEN 0 ELSE i % {keys} END::BIGINT AS user_id, {Time} AS event_timestamp, round(random() * 100, 2) AS amount
                  FROM range({events}) t(i)) TO '{folder}/events_skewed.parquet' (FORMAT parquet);
            COPY (SELECT (random() * {keys})::BIGINT % {keys} AS user_id, {Time} AS event_timestamp, (random() < 0.5)::INTEGER AS label
                  FROM range({entities})) TO '{folder}/entities.parquet' (FORMAT parquet);
            """;
        command.ExecuteNonQuery();
        Console.WriteLine($"generated in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static double PeakMb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
