namespace Granary.Cli.Tests;

/// <summary>
/// get-historical-features with aggregation features, through the real executable on a temp repo;
/// expected files are worked out by hand from the rows written here.
/// </summary>
public sealed class AggregationTrainingDataCliTests : IDisposable
{
    private const string Definitions = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: file_source
        name: driver_stats
        path: data/driver_stats.csv
        ---
        kind: feature_view
        name: driver_hourly_stats
        entities: [driver]
        source: driver_stats
        ttl: 2h
        schema:
          - { name: trips, dtype: int64 }
        ---
        kind: aggregation_view
        name: txn_stats
        entities: [driver]
        source: driver_stats
        hop: 0
        aggregations:
          - { column: trips, function: sum, windows: [2h] }
          - { function: count, windows: [1d] }
        ---
        kind: feature_service
        name: scoring
        features: [txn_stats]
        """;

    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-cli-agg-" + Guid.NewGuid().ToString("N"));

    public AggregationTrainingDataCliTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        Write("granary.yaml", "project: cli_agg\n");
        Write("features.yaml", Definitions);
        Write("data/driver_stats.csv", """
            driver_id,event_timestamp,trips
            1001,2021-04-12T08:00:00Z,10
            1001,2021-04-12T09:00:00Z,20
            1002,2021-04-12T07:00:00Z,50

            """);
        Write("orders.csv", """
            driver_id,event_timestamp,label
            1001,2021-04-12T10:00:00Z,1
            1002,2021-04-12T10:00:00Z,0
            1001,2021-04-12T08:30:00Z,1
            1003,2021-04-12T10:00:00Z,0

            """);
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(_repo, relative), text);

    private Task<GranaryProcess.Result> Granary(params string[] args) => GranaryProcess.RunAsync(_repo, args);

    [Fact]
    public async Task GetHistoricalFeatures_AggregationAndFeatureViewWithFullNames_WritesWindowsBeforeEachRow()
    {
        var apply = await Granary("apply");
        Assert.True(apply.ExitCode == 0, apply.Stderr);

        var result = await Granary(
            "get-historical-features", "--entities", "orders.csv", "--features", "txn_stats:trips_sum_2h,driver_hourly_stats:trips,txn_stats:count_1d",
            "--full-feature-names", "--output", "training.csv");

        Assert.True(result.ExitCode == 0, result.Stderr);

        // 1001@10:00: [08:00, 10:00) holds 10 and 20; 1d holds both; latest row 09:00 (20).
        // 1002@10:00: 07:00 is outside 2h (empty) and outside the ttl, inside 1d (1).
        // 1001@08:30: [06:30, 08:30) holds 10; latest 08:00 (10). 1003 has no events: count 0.
        Assert.Equal(
            """
            driver_id,event_timestamp,label,txn_stats__trips_sum_2h,txn_stats__count_1d,driver_hourly_stats__trips
            1001,2021-04-12T10:00:00.000000Z,1,30,2,20
            1002,2021-04-12T10:00:00.000000Z,0,,1,
            1001,2021-04-12T08:30:00.000000Z,1,10,1,10
            1003,2021-04-12T10:00:00.000000Z,0,,0,

            """,
            File.ReadAllText(Path.Combine(_repo, "training.csv")));
    }

    [Fact]
    public async Task GetHistoricalFeatures_ServiceForAllEntitiesAsOf_TakesKeysFromTheEvents()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);

        var result = await Granary(
            "get-historical-features", "--all-entities", "--as-of", "2021-04-12T09:30:00Z", "--feature-service", "scoring", "--output", "scores.csv");

        Assert.True(result.ExitCode == 0, result.Stderr);

        // Keys 1001 and 1002, in key order, at 09:30: 1001's [07:30, 09:30) holds 10 and 20; 1002's
        // event at 07:00 is before 07:30, outside 2h, but inside the day.
        Assert.Equal(
            """
            driver_id,event_timestamp,trips_sum_2h,count_1d
            1001,2021-04-12T09:30:00.000000Z,30,2
            1002,2021-04-12T09:30:00.000000Z,,1

            """,
            File.ReadAllText(Path.Combine(_repo, "scores.csv")));
    }
}
