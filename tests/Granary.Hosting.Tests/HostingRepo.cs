using System.Globalization;
using Granary.Repo;

namespace Granary.Hosting.Tests;

/// <summary>
/// A feature repo in a temp folder, on the embedded backends (DuckDB over a CSV file, SQLite, a registry file):
/// driver 1001 reports at 08:00 and 09:00 on 2021-04-12, driver 1002 at 07:00; the view's ttl is one day.
/// Each repo has its own project name, so that spans and metrics of parallel tests can be told apart.
/// </summary>
public sealed class HostingRepo : IDisposable
{
    public static readonly DateTimeOffset Ten = new(2021, 4, 12, 10, 0, 0, TimeSpan.Zero);

    public HostingRepo()
    {
        Path = Directory.CreateTempSubdirectory("granary-hosting-").FullName;
        Project = "hosting_" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "data"));
        Write(RepoConfig.FileName, $"project: {Project}\noffline_store: {{ type: duckdb }}\nonline_store: {{ type: sqlite, path: data/online.db }}\n");
        Write("features.yaml", """
            kind: entity
            name: driver
            join_keys: [driver_id]
            ---
            kind: file_source
            name: driver_stats
            path: data/driver_stats.csv
            timestamp_field: event_timestamp
            ---
            kind: push_source
            name: driver_stats_push
            batch_source: driver_stats
            ---
            kind: feature_view
            name: driver_hourly_stats
            entities: [driver]
            source: driver_stats_push
            ttl: 1d
            schema:
              - { name: conv_rate, dtype: float64 }
              - { name: trips, dtype: int64 }
            """);
        Write("data/driver_stats.csv", """
            driver_id,event_timestamp,conv_rate,trips
            1001,2021-04-12T08:00:00Z,0.1,10
            1001,2021-04-12T09:00:00Z,0.2,20
            1002,2021-04-12T07:00:00Z,0.5,50

            """);
    }

    public string Path { get; }

    public string Project { get; }

    public void Write(string relative, string text) => File.WriteAllText(System.IO.Path.Combine(Path, relative), text);

    public static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Registers the repo's definitions and loads the online store up to <paramref name="until"/>, through the store the host holds.</summary>
    public async Task ApplyAndMaterializeAsync(FeatureStore store, DateTimeOffset until)
    {
        await store.ApplyAsync(FeatureRepo.LoadDefinitions(Path, store.SourceKinds));
        await store.MaterializeAsync(until.AddDays(-1), until);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
