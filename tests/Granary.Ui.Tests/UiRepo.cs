using DuckDB.NET.Data;
using Granary.Definitions;
using Granary.Repo;
using Granary.Testing;
using Granary.Transformations;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Ui.Tests;

/// <summary>
/// A feature repo in a temp folder for the UI, with a clock fixed at <see cref="Now"/>. Three shapes:
/// every kind of object (<see cref="EveryKindAsync"/>), a project never applied (<see cref="Empty"/>)
/// and one with 1,000 feature views (<see cref="ThousandViewsAsync"/>). Every expected value in the
/// tests is worked out by hand from the rows and times written here.
/// </summary>
public sealed class UiRepo : IDisposable
{
    /// <summary>The UI's clock: 2026-11-30 12:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Every kind: two entities (int64 and string keys), two file sources (one with a field mapping),
    /// a push source, a request source, four feature views (fresh, stale by ttl, offline only, never
    /// materialized), an aggregation view, two on-demand views (an expression and a C# function; one
    /// reading the other) and two services.
    /// </summary>
    public const string EveryKindDefinitions = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        description: A driver of the ride-hailing fleet
        ---
        kind: entity
        name: rider
        join_keys: [rider_id]
        value_type: string
        ---
        kind: file_source
        name: driver_stats
        path: data/driver_stats.parquet
        timestamp_field: event_timestamp
        created_timestamp_column: created
        description: Hourly statistics from the dispatch pipeline
        ---
        kind: file_source
        name: trips
        path: data/trips.parquet
        timestamp_field: ts
        field_mapping: { fare_usd: fare }
        ---
        kind: push_source
        name: trips_push
        batch_source: trips
        description: Trips pushed by the booking app
        ---
        kind: request_source
        name: ride_request
        schema:
          - { name: distance_km, dtype: float64, description: Length of the requested ride }
        ---
        kind: feature_view
        name: driver_hourly_stats
        entities: [driver]
        source: driver_stats
        ttl: 1d
        schema:
          - { name: conv_rate, dtype: float64, description: Share of offers accepted }
          - { name: trips, dtype: int64 }
        tags: { team: dispatch }
        owner: dispatch@example.com
        ---
        kind: feature_view
        name: driver_daily
        entities: [driver]
        source: driver_stats
        ttl: 1h
        schema:
          - { name: trips, dtype: int64 }
        ---
        kind: feature_view
        name: driver_history
        entities: [driver]
        source: driver_stats
        ttl: 0
        online: false
        schema:
          - { name: conv_rate, dtype: float64 }
        ---
        kind: feature_view
        name: rider_trips
        entities: [rider]
        source: trips_push
        ttl: 1h
        schema:
          - { name: fare, dtype: float64 }
        ---
        kind: aggregation_view
        name: rider_fares
        entities: [rider]
        source: trips_push
        hop: 1h
        aggregations:
          - { column: fare, function: sum, windows: [1h, 1d] }
          - { function: count, windows: [1d] }
        description: Fares per rider over sliding windows
        ---
        kind: on_demand_feature_view
        name: driver_score
        sources: [driver_hourly_stats, ride_request]
        schema:
          - { name: score, dtype: float64, expression: "conv_rate * distance_km" }
        ---
        kind: on_demand_feature_view
        name: driver_band
        sources: [driver_score]
        schema:
          - { name: high, dtype: bool, expression: "score > 1" }
        ---
        kind: feature_service
        name: driver_ranking
        features:
          - driver_hourly_stats: [conv_rate]
          - driver_score
          - driver_band
        description: Features of the driver ranking model
        ---
        kind: feature_service
        name: rider_activity
        features: [rider_trips, rider_fares]
        """;

    private UiRepo(string kind)
    {
        Project = $"ui_{kind}_{Guid.NewGuid():N}"[..24];
        Path = Directory.CreateTempSubdirectory("granary-ui-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "data"));
        File.WriteAllText(System.IO.Path.Combine(Path, "granary.yaml"), $"""
            project: {Project}
            registry: data/registry.json
            offline_store: {"{"} type: duckdb {"}"}
            online_store: {"{"} type: sqlite, path: data/online.db {"}"}

            """);
    }

    /// <summary>The repo folder.</summary>
    public string Path { get; }

    /// <summary>The project, unique to this repo.</summary>
    public string Project { get; }

    /// <summary>The UI's clock.</summary>
    public FakeTimeProvider Clock { get; } = new(Now);

    /// <summary>The C# function of <c>driver_score.bonus</c>: trips / 10.</summary>
    public static TransformationCatalog Catalog() =>
        new TransformationCatalog().Register("driver_score", "bonus", row => row.GetInt64("trips") / 10.0);

    /// <summary>A store over the repo with the repo's clock and catalog.</summary>
    public FeatureStore OpenStore(RegistryRefreshMode refresh = RegistryRefreshMode.OnRead)
    {
        var builder = new FeatureStoreBuilder(FeatureRepo.LoadConfig(Path))
        {
            TimeProvider = Clock,
            Options = new FeatureStoreOptions { Transformations = Catalog(), RegistryRefresh = refresh },
        };
        return builder.AddDuckDb().AddSqlite().Build();
    }

    /// <summary>A project that was never applied.</summary>
    public static UiRepo Empty() => new("empty");

    /// <summary>
    /// Every kind, applied; <c>driver_hourly_stats</c> materialized over 2026-11-30 00:00..12:00 and
    /// <c>driver_daily</c> over 00:00..10:00 (recorded at 12:00, the clock's time). Driver 1001 has rows
    /// at 10:00 (0.5, 10 trips) and 11:00 (0.6, 11 trips); driver 1002 at 09:00 (0.9, 20 trips).
    /// </summary>
    public static async Task<UiRepo> EveryKindAsync()
    {
        var repo = new UiRepo("every");
        File.WriteAllText(System.IO.Path.Combine(repo.Path, "features.yaml"), EveryKindDefinitions);
        repo.WriteParquet("driver_stats.parquet", """
            SELECT * FROM (VALUES
              (1001::BIGINT, TIMESTAMPTZ '2026-11-30 10:00:00+00', TIMESTAMPTZ '2026-11-30 10:05:00+00', 0.5::DOUBLE, 10::BIGINT),
              (1001::BIGINT, TIMESTAMPTZ '2026-11-30 11:00:00+00', TIMESTAMPTZ '2026-11-30 11:05:00+00', 0.6::DOUBLE, 11::BIGINT),
              (1002::BIGINT, TIMESTAMPTZ '2026-11-30 09:00:00+00', TIMESTAMPTZ '2026-11-30 09:05:00+00', 0.9::DOUBLE, 20::BIGINT)
            ) AS t(driver_id, event_timestamp, created, conv_rate, trips)
            """);
        repo.WriteParquet("trips.parquet", """
            SELECT * FROM (VALUES
              ('r1', TIMESTAMPTZ '2026-11-30 08:00:00+00', 12.5::DOUBLE),
              ('r1', TIMESTAMPTZ '2026-11-30 09:30:00+00', 7.5::DOUBLE)
            ) AS t(rider_id, ts, fare_usd)
            """);
        await using var store = repo.OpenStore();
        // YAML declares expressions only; an output computed by a C# function is declared in code.
        var set = FeatureRepo.LoadDefinitions(repo.Path, store.SourceKinds);
        set = set with
        {
            OnDemandFeatureViews = set.OnDemandFeatureViews.Select(v => v.Name != "driver_score" ? v : v with
            {
                Schema = [.. v.Schema, new Field { Name = "bonus", Dtype = DataType.Float64, Description = "Computed in C#" }],
            }).ToArray(),
        };
        await store.ApplyAsync(set);
        var day = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        await store.MaterializeAsync(day, day.AddHours(12), ["driver_hourly_stats"]);
        await store.MaterializeAsync(day, day.AddHours(10), ["driver_daily"]);
        return repo;
    }

    /// <summary>
    /// 1,000 feature views <c>view_0000</c> to <c>view_0999</c> of three features over one source,
    /// written to the registry directly (apply would read the source 1,000 times), and ten services
    /// of 100 views each.
    /// </summary>
    public static async Task<UiRepo> ThousandViewsAsync()
    {
        var repo = new UiRepo("big");
        await using var store = repo.OpenStore();
        await store.Registry.ApplyAsync(repo.Project, ThousandViews.Definitions(), expectedVersion: 0);
        return repo;
    }

    private void WriteParquet(string file, string select)
    {
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; COPY ({select}) TO '{System.IO.Path.Combine(Path, "data", file)}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file may be held for a moment by a pooled connection; the OS cleans temp folders.
        }
    }
}
