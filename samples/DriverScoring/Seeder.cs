using System.Globalization;
using System.Text;
using Granary;
using Granary.Repo;

namespace DriverScoring;

/// <summary>
/// Generates the sample's data, the same for the same seed: 30 days of driver statistics every 6 hours up to
/// now, and orders whose completion depends on the driver's statistics at the time and the trip's distance.
/// Then registers the repo and loads the online store, as a pipeline would.
/// </summary>
internal static class Seeder
{
    public const int FirstDriver = 1001;
    public const int Drivers = 40;

    /// <summary>The last driver stops reporting 3 days before the end: past the 2-day ttl, its features are missing in both paths.</summary>
    public const int SilentDriver = FirstDriver + Drivers - 1;

    public static async Task<DateTimeOffset> RunAsync(string repoPath, TimeProvider time, int seed = 7, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var end = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var start = end.AddDays(-30);
        var random = new Random(seed);
        var stats = new StringBuilder("driver_id,event_timestamp,created,conv_rate,acc_rate,avg_daily_trips\n");
        var timelines = new Dictionary<int, List<(DateTimeOffset At, double Conv, double Acc, long Trips)>>();
        for (var driver = FirstDriver; driver < FirstDriver + Drivers; driver++)
        {
            var (conv, acc, trips) = (0.2 + 0.7 * random.NextDouble(), 0.3 + 0.65 * random.NextDouble(), (long)random.Next(5, 40));
            var last = driver == SilentDriver ? end.AddDays(-3) : end;
            var timeline = timelines[driver] = [];
            for (var at = start; at <= last; at = at.AddHours(6))
            {
                conv = Math.Clamp(conv + (random.NextDouble() - 0.5) * 0.06, 0.05, 0.98);
                acc = Math.Clamp(acc + (random.NextDouble() - 0.5) * 0.06, 0.05, 0.98);
                trips = Math.Max(1, trips + random.Next(-2, 3));
                timeline.Add((at, Math.Round(conv, 4), Math.Round(acc, 4), trips));
                stats.Append(CultureInfo.InvariantCulture, $"{driver},{Iso(at)},{Iso(at)},{Math.Round(conv, 4)},{Math.Round(acc, 4)},{trips}\n");
            }
        }

        var orders = new StringBuilder("driver_id,event_timestamp,trip_distance_km,completed\n");
        for (var i = 0; i < 4000; i++)
        {
            var driver = FirstDriver + random.Next(Drivers);
            var at = start.AddDays(1).AddMinutes(random.Next((int)(end - start.AddDays(1)).TotalMinutes));
            var distance = Math.Round(1 + 29 * random.NextDouble(), 1);
            var row = timelines[driver].LastOrDefault(r => r.At <= at);
            var fresh = row.At > at.AddDays(-2);
            var logit = fresh
                ? 6 * (row.Conv * row.Acc - 0.3) - 0.12 * (distance - 12) + 0.04 * (row.Trips - 20)
                : -1.0; // no recent statistics: a driver who stopped working rarely completes
            var completed = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
            orders.Append(CultureInfo.InvariantCulture, $"{driver},{Iso(at)},{distance},{completed}\n");
        }

        var data = Path.Combine(repoPath, "data");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "driver_stats.csv"), stats.ToString(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(data, "orders.csv"), orders.ToString(), cancellationToken);

        await using var store = Backends.Add(new FeatureStoreBuilder(FeatureRepo.LoadConfig(repoPath)) { TimeProvider = time }).Build();
        await store.ApplyAsync(FeatureRepo.LoadDefinitions(repoPath, store.SourceKinds), cancellationToken);
        // Eight days: the feature view's latest rows, and every event the 7-day order window reads at END.
        await store.MaterializeAsync(end.AddDays(-8), end, cancellationToken: cancellationToken);
        return end;
    }

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
