using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Definitions;
using Granary.Repo;

namespace Granary.Cli;

/// <summary>
/// The repo <c>granary init</c> creates: a driver entity, hourly driver statistics for the last two
/// weeks (seeded, so every run has the same values relative to its hour), entity rows for training
/// and a README. It is written to a temp folder and renamed, so it appears whole or not at all.
/// </summary>
internal static class DemoRepo
{
    private const int Drivers = 10;
    private const int FirstDriver = 1001;
    private static readonly TimeSpan History = TimeSpan.FromDays(14);

    public static async Task CreateAsync(string folder, string project, TimeProvider time, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(folder)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Path.Combine(temp, "data"));
            await File.WriteAllTextAsync(Path.Combine(temp, RepoConfig.FileName), Config(project), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(temp, "features.yaml"), Definitions, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(temp, "README.md"), Readme(project), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(temp, ".gitignore"), "data/registry.json*\ndata/online.db*\ntraining.*\n", cancellationToken);

            var end = Hour(time.GetUtcNow());
            var config = FeatureRepo.LoadConfig(temp);
            await using (var store = Stores.Builder(config).Build())
            {
                var source = FeatureRepo.LoadDefinitions(temp, store.SourceKinds).FindSource("driver_stats")!;
                await store.Offline.WriteAsync(source, DriverStats(end), cancellationToken);
            }

            await File.WriteAllTextAsync(Path.Combine(temp, "data", "driver_orders.csv"), Orders(end), cancellationToken);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder);
            }

            Directory.Move(temp, folder);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static DateTimeOffset Hour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);

    private static string Config(string project) => $"""
        project: {project}
        registry: data/registry.json
        offline_store:
          type: duckdb
        online_store:
          type: sqlite
          path: data/online.db

        """;

    private const string Definitions = """
        # Definitions of the demo project: one entity, one source, a feature view, an aggregation view, one service.
        kind: entity
        name: driver
        join_keys: [driver_id]
        value_type: int64
        description: A driver of the ride-hailing demo
        ---
        kind: file_source
        name: driver_stats
        path: data/driver_stats.parquet
        timestamp_field: event_timestamp
        created_timestamp_column: created
        description: Hourly driver statistics written by the (imaginary) stats pipeline
        ---
        kind: feature_view
        name: driver_hourly_stats
        entities: [driver]
        source: driver_stats
        ttl: 1d
        online: true
        schema:
          - { name: conv_rate, dtype: float32, description: Share of offers the driver accepted }
          - { name: acc_rate, dtype: float32, description: Share of accepted rides completed }
          - { name: avg_daily_trips, dtype: int64 }
        tags: { team: driver_performance }
        owner: ml-platform@example.com
        ---
        kind: aggregation_view
        name: driver_trends
        entities: [driver]
        source: driver_stats
        aggregations:
          - { column: conv_rate, function: avg, windows: [1d, 7d] }
          - { function: count, windows: [1d] }
        description: The driver's conversion averaged over the last day and week, and the reports of the last day
        ---
        kind: feature_service
        name: driver_activity
        features:
          - driver_hourly_stats
        description: Features of the driver ranking model

        """;

    /// <summary>Hourly rows per driver; driver 1010 stopped reporting three days ago, so the 1-day ttl shows.</summary>
    private static RecordBatch DriverStats(DateTimeOffset end)
    {
        var random = new Random(42);
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder(TimeUnit.Microsecond, "UTC");
        var created = new TimestampArray.Builder(TimeUnit.Microsecond, "UTC");
        var conv = new FloatArray.Builder();
        var acc = new FloatArray.Builder();
        var trips = new Int64Array.Builder();
        var hours = (int)History.TotalHours;
        for (var d = 0; d < Drivers; d++)
        {
            var quality = 0.3 + (0.6 * random.NextDouble());
            var stoppedAt = d == Drivers - 1 ? 72 : 0;
            for (var h = hours; h >= stoppedAt; h--)
            {
                var t = end.AddHours(-h);
                ids.Append(FirstDriver + d);
                times.Append(t);
                created.Append(t.AddMinutes(random.Next(1, 30)));
                conv.Append((float)Math.Clamp(quality + ((random.NextDouble() - 0.5) * 0.2), 0, 1));
                acc.Append((float)Math.Clamp(0.5 + (quality / 2) + ((random.NextDouble() - 0.5) * 0.1), 0, 1));
                trips.Append(100 + random.Next(0, 900));
            }
        }

        var schema = new Schema.Builder()
            .Field(f => f.Name("driver_id").DataType(Int64Type.Default))
            .Field(f => f.Name("event_timestamp").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
            .Field(f => f.Name("created").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
            .Field(f => f.Name("conv_rate").DataType(FloatType.Default))
            .Field(f => f.Name("acc_rate").DataType(FloatType.Default))
            .Field(f => f.Name("avg_daily_trips").DataType(Int64Type.Default))
            .Build();
        var length = ids.Length;
        return new RecordBatch(schema, [ids.Build(), times.Build(), created.Build(), conv.Build(), acc.Build(), trips.Build()], length);
    }

    /// <summary>Orders to train on: which driver took it, when, and whether it succeeded. Driver 1099 has no statistics.</summary>
    private static string Orders(DateTimeOffset end)
    {
        var random = new Random(7);
        var text = new StringBuilder("driver_id,event_timestamp,order_is_success\n");
        for (var i = 0; i < 20; i++)
        {
            var driver = i == 19 ? 1099 : FirstDriver + random.Next(0, Drivers);
            var t = end.AddMinutes(-random.Next(0, (int)History.TotalMinutes));
            text.Append(CultureInfo.InvariantCulture, $"{driver},{t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{random.Next(0, 2)}\n");
        }

        return text.ToString();
    }

    private static string Readme(string project) => $"""
        # {project}: a Granary demo feature repo

        Hourly statistics of ten drivers over the last two weeks (`data/driver_stats.parquet`),
        declared in `features.yaml`, and orders to train on (`data/driver_orders.csv`).

        ```sh
        granary apply                                    # register the definitions
        granary get-historical-features --entities data/driver_orders.csv \
            --feature-service driver_activity --output training.csv
        ```

        `training.csv` holds every order with the driver's statistics as they were at the order's
        time (never later), or empty when the latest statistics were older than the view's 1-day ttl.

        `driver_trends` is an aggregation view over the same statistics: the driver's conversion
        averaged over the last day and week, and how many reports the last day holds, the same in
        training data and online at every instant:

        ```sh
        granary materialize 2000-01-01T00:00:00Z "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        granary get-online-features --features driver_trends:conv_rate_avg_7d,driver_trends:count_1d \
            --entity driver_id=1001 --format table
        ```

        """;
}
