using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Granary.Definitions;
using Granary.DuckDb;
using Granary.Offline;
using Granary.Repo;

namespace Granary.Benchmarks.Offline;

/// <summary>
/// End-to-end training-data benchmark: N entity rows against one view of 10 float features over
/// K keys x R rows, written to Parquet. Each phase runs in a child process so that its peak memory
/// (VmHWM) is its own: data generation, a hand-written DuckDB ASOF JOIN over the same files, and Granary.
/// </summary>
internal static class OfflineJoinBenchmark
{
    private const int Features = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var keys = Arg(args, "--keys", 100_000);
        var rowsPerKey = Arg(args, "--rows-per-key", 100);
        var entities = Arg(args, "--entities", 1_000_000);
        var folder = Path.Combine(Path.GetTempPath(), $"granary-bench-offline-{keys}x{rowsPerKey}-{entities}");
        Directory.CreateDirectory(folder);
        Console.WriteLine($"source: {keys:N0} keys x {rowsPerKey} rows = {(long)keys * rowsPerKey:N0} rows, {Features} features; entities: {entities:N0}; folder {folder}");
        if (!File.Exists(Path.Combine(folder, "entities.parquet")))
        {
            Generate(folder, keys, rowsPerKey, entities);
        }

        var baseline = Phase("baseline", folder);
        var granary = Phase("granary", folder);
        Console.WriteLine($"hand-written ASOF JOIN: {baseline.Seconds:0.00} s, peak {baseline.PeakMb:N0} MB");
        Console.WriteLine($"granary:                {granary.Seconds:0.00} s, peak {granary.PeakMb:N0} MB");
        Console.WriteLine($"ratio granary/baseline: {granary.Seconds / baseline.Seconds:0.00}");
        return 0;
    }

    /// <summary>Runs one measured phase in this process and prints "seconds peak_mb".</summary>
    public static async Task<int> RunPhaseAsync(string[] args)
    {
        var phase = args[0];
        var folder = args[1];
        var output = Path.Combine(folder, $"out-{phase}.parquet");
        var clock = Stopwatch.StartNew();
        if (phase == "baseline")
        {
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            var features = string.Join(", ", Enumerable.Range(0, Features).Select(i => $"s.f{i}"));
            command.CommandText =
                $"SET TimeZone = 'UTC'; COPY (SELECT e.*, {features} FROM read_parquet('{folder}/entities.parquet') e " +
                $"ASOF LEFT JOIN read_parquet('{folder}/source.parquet') s " +
                $"ON e.driver_id = s.driver_id AND e.event_timestamp >= s.event_timestamp) TO '{output}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }
        else
        {
            await RunGranaryAsync(folder, output);
        }

        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:0.000} {PeakMb():0}"));
        return 0;
    }

    private static async Task RunGranaryAsync(string folder, string output)
    {
        var config = new RepoConfig { RepoPath = folder, Project = "bench" };
        var definitions = new DefinitionSet
        {
            Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }],
            Sources = [new FileSource { Name = "stats", Path = "source.parquet" }],
            FeatureViews =
            [
                new FeatureView
                {
                    Name = "stats",
                    Entities = ["driver"],
                    Source = "stats",
                    Online = false,
                    Schema = Enumerable.Range(0, Features).Select(i => new Field { Name = $"f{i}", Dtype = DataType.Float64 }).ToArray(),
                },
            ],
        };
        await using var store = new FeatureStoreBuilder(config).AddDuckDb().Build();
        await store.ApplyAsync(definitions);
        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityInput.FromFile(Path.Combine(folder, "entities.parquet")),
            Features = Enumerable.Range(0, Features).Select(i => $"stats:f{i}").ToArray(),
        });
        await result.WriteAsync(output);
    }

    private static (double Seconds, double PeakMb) Phase(string phase, string folder)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { Environment.GetCommandLineArgs()[0], "offline-phase", phase, folder }.Skip(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? 0 : 1))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var lines = process.StandardOutput.ReadToEnd().Trim().Split('\n');
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"phase {phase} failed: {string.Join('\n', lines)}");
        }

        var parts = lines[^1].Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static void Generate(string folder, int keys, int rowsPerKey, int entities)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var features = string.Join(", ", Enumerable.Range(0, Features).Select(i => $"random() AS f{i}"));
        // Rows are hourly per key with a random minute; entity times fall anywhere in the same span, so
        // some entity rows precede all of their key's data.
        command.CommandText = $"""
            SET TimeZone = 'UTC';
            SELECT setseed(0.42);
            COPY (
              SELECT (i % {keys})::BIGINT AS driver_id,
                     TIMESTAMPTZ '2021-01-01 00:00:00+00' + to_hours((i // {keys})::BIGINT) + to_minutes((random() * 59)::BIGINT) AS event_timestamp,
                     {features}
              FROM range({(long)keys * rowsPerKey}) t(i)
            ) TO '{folder}/source.parquet' (FORMAT parquet);
            COPY (
              SELECT (random() * {keys})::BIGINT % {keys} AS driver_id,
                     TIMESTAMPTZ '2021-01-01 00:00:00+00' + to_minutes((random() * {rowsPerKey * 60})::BIGINT) AS event_timestamp,
                     (random() < 0.5)::INTEGER AS label
              FROM range({entities})
            ) TO '{folder}/entities.parquet' (FORMAT parquet);
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
