using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Granary.FeatureLogs;
using Granary.Online;
using Granary.Repo;

namespace Granary.Benchmarks.Server;

/// <summary>
/// <c>feature-log-writer</c>: the CPU that served-feature logging adds per logged row, without HTTP. The
/// <c>server-logging</c> repo (5 views x 10 float64 features, SQLite) is read in process, one driver a read
/// on one thread, by the service without logging and by the one logging at sample rate 1.0, alternated
/// twice. A logged case ends when every row is written (the flushed-rows counter), so its process CPU
/// holds the read path's capture, the background writer and the garbage collections they cause; the
/// difference to the unlogged case, per read, is the cost of one logged row of 50 features. Flushes go by rows,
/// and by time every second, so that the rows a case leaves below a full batch are written soon after it.
/// </summary>
internal static class FeatureLogWriterBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var reads = Arg(args, "--reads", 30_000);
        var flushRows = Arg(args, "--flush-rows", 10_000);
        var folder = Directory.CreateTempSubdirectory("granary-bench-log-writer-").FullName;
        long flushed = 0, dropped = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FeatureLogMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            Interlocked.Add(ref instrument.Name.Contains("flushed", StringComparison.Ordinal) ? ref flushed : ref dropped, value));
        listener.Start();
        try
        {
            FeatureServerBenchmark.WriteRepo(folder, "{ type: sqlite, path: data/online.db }", services: true);
            var options = new FeatureStoreOptions { FeatureLogs = new FeatureLogOptions { QueueRows = 10_000_000, FlushRows = flushRows, FlushInterval = TimeSpan.FromSeconds(1) } };
            await using var store = new FeatureStoreBuilder(FeatureRepo.LoadConfig(folder)) { Options = options }.AddDuckDb().AddSqlite().Build();
            await store.ApplyAsync(FeatureRepo.LoadDefinitions(folder));
            await store.MaterializeAsync(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero));

            // Warm-up: both services, and one flush of the logged one, so that nothing is compiled while measured.
            await ReadAsync(store, "plain", flushRows);
            await ReadAsync(store, "logged", flushRows);
            await WaitAsync(() => Volatile.Read(ref flushed) >= flushRows);

            Console.WriteLine($"{reads:N0} reads of 1 driver x 50 float64 features a case, one thread; flushes of {flushRows:N0} rows; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| logging | round | wall s | process CPU µs/read | allocated KB/read | gen0/1/2 collections |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            var cpu = new Dictionary<string, List<double>>(StringComparer.Ordinal) { ["off"] = [], ["1.0"] = [] };
            foreach (var round in new[] { 1, 2 })
            {
                foreach (var (logging, service) in new[] { ("off", "plain"), ("1.0", "logged") })
                {
                    var target = Volatile.Read(ref flushed) + (service == "logged" ? reads : 0);
                    var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                    var allocated = GC.GetTotalAllocatedBytes(precise: false);
                    var before = Process.GetCurrentProcess().TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    await ReadAsync(store, service, reads);
                    await WaitAsync(() => Volatile.Read(ref flushed) >= target);
                    var used = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / reads;
                    cpu[logging].Add(used);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {logging} | {round} | {clock.Elapsed.TotalSeconds:0.00} | {used:0.0} | {(GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1024.0 / reads:0.0} | " +
                        $"{GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3} |"));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"logging adds {cpu["1.0"].Average() - cpu["off"].Average():0.0} µs of CPU per logged row of 50 features ({cpu["1.0"].Average():0.0} vs {cpu["off"].Average():0.0} µs a read); dropped rows: {Volatile.Read(ref dropped)}"));
            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
            return Volatile.Read(ref dropped) == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task ReadAsync(FeatureStore store, string service, int reads)
    {
        for (var i = 0; i < reads; i++)
        {
            await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
            {
                FeatureService = service,
                Entities = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal) { ["driver_id"] = [(object?)(1L + (i * 97 % 1000))] },
                FullFeatureNames = true,
            });
        }
    }

    private static async Task WaitAsync(Func<bool> done)
    {
        while (!done())
        {
            await Task.Delay(5);
        }
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
