using DuckDB.NET.Data;
using Granary.Repo;

namespace Granary.Server.Tests;

/// <summary>
/// A feature repo in a temp folder with a project of its own: drivers whose hourly statistics sit in
/// Parquet part files behind a push source. Every expected value in the tests is worked out by hand
/// from the three rows written here.
/// </summary>
public sealed class TestRepo : IDisposable
{
    public const string Definitions = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: file_source
        name: driver_stats
        path: data/driver_stats/*.parquet
        timestamp_field: event_timestamp
        created_timestamp_column: created
        ---
        kind: push_source
        name: driver_stats_push
        batch_source: driver_stats
        ---
        kind: feature_view
        name: driver_hourly_stats
        entities: [driver]
        source: driver_stats_push
        ttl: 0
        schema:
          - { name: conv_rate, dtype: float64 }
          - { name: trips, dtype: int64 }
          - { name: tier, dtype: string }
        tags: { team: drivers }
        ---
        kind: feature_service
        name: activity
        features: [driver_hourly_stats]
        """;

    /// <summary>
    /// 1001 at 10:00 (0.5, 10, gold) and 11:00 (0.6, 11, gold); 1002 at 09:00 (0.9, 20, silver), all on 2024-01-01 UTC.
    /// Materialized over that day, 1001 serves the 11:00 row and 1002 the 09:00 row.
    /// </summary>
    private const string Rows = """
        (1001, TIMESTAMPTZ '2024-01-01 10:00:00+00', TIMESTAMPTZ '2024-01-01 10:05:00+00', 0.5::DOUBLE, 10::BIGINT, 'gold'),
        (1001, TIMESTAMPTZ '2024-01-01 11:00:00+00', TIMESTAMPTZ '2024-01-01 11:05:00+00', 0.6::DOUBLE, 11::BIGINT, 'gold'),
        (1002, TIMESTAMPTZ '2024-01-01 09:00:00+00', TIMESTAMPTZ '2024-01-01 09:05:00+00', 0.9::DOUBLE, 20::BIGINT, 'silver')
        """;

    public TestRepo(string onlineStore = "{ type: sqlite, path: data/online.db }", string featureServer = "")
    {
        Project = "srv_" + Guid.NewGuid().ToString("N")[..12];
        Path = Directory.CreateTempSubdirectory("granary-server-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "data", "driver_stats"));
        File.WriteAllText(System.IO.Path.Combine(Path, "granary.yaml"), $"""
            project: {Project}
            registry: data/registry.json
            offline_store: {"{"} type: duckdb {"}"}
            online_store: {onlineStore}
            {featureServer}

            """);
        File.WriteAllText(System.IO.Path.Combine(Path, "features.yaml"), Definitions);
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        var target = System.IO.Path.Combine(Path, "data", "driver_stats", "part-initial.parquet");
        command.CommandText = $"""
            SET TimeZone = 'UTC';
            COPY (SELECT * FROM (VALUES {Rows}) AS t(driver_id, event_timestamp, created, conv_rate, trips, tier))
            TO '{target}' (FORMAT parquet)
            """;
        command.ExecuteNonQuery();
    }

    public string Path { get; }

    public string Project { get; }

    public string PartFolder => System.IO.Path.Combine(Path, "data", "driver_stats");

    public static DateTimeOffset Day { get; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How the stores opened here log served features; the defaults unless set.</summary>
    public Granary.FeatureLogs.FeatureLogOptions FeatureLogs { get; set; } = new();

    /// <summary>A store over the repo; the server's is built with <see cref="RegistryRefreshMode.ByHost"/>, as a host must.</summary>
    public FeatureStore OpenStore(RegistryRefreshMode refresh = RegistryRefreshMode.OnRead) =>
        new FeatureStoreBuilder(FeatureRepo.LoadConfig(Path)) { Options = new FeatureStoreOptions { RegistryRefresh = refresh, FeatureLogs = FeatureLogs } }
            .AddDuckDb().AddSqlite().AddRedis().Build();

    /// <summary>Applies the definitions on disk and, unless told not to, materializes 2024-01-01.</summary>
    public async Task ApplyAsync(bool materialize = true)
    {
        await using var store = OpenStore();
        await store.ApplyAsync(FeatureRepo.LoadDefinitions(Path));
        if (materialize)
        {
            await store.MaterializeAsync(Day, Day.AddDays(1));
        }
    }

    public void WriteDefinitions(string text) => File.WriteAllText(System.IO.Path.Combine(Path, "features.yaml"), text);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
