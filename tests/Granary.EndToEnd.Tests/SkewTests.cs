using Granary.Conformance;
using Granary.DuckDb;
using Granary.FeatureLogs;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.Skew;
using Granary.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Granary.EndToEnd.Tests;

/// <summary>
/// granary skew through the facade on DuckDB and SQLite: reads served at 10:00 are logged, the source
/// then changes in each way skew tells apart, and the report's counts, causes, SMAPE and examples are
/// worked out by hand from the rows written here.
/// </summary>
public sealed class SkewTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);

    private const string Definitions = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: file_source
        name: stats
        path: stats.csv
        ---
        kind: feature_view
        name: hourly
        entities: [driver]
        source: stats
        schema:
          - { name: conv_rate, dtype: float64 }
          - { name: trips, dtype: int64 }
        ---
        kind: request_source
        name: trip
        schema:
          - { name: val_to_add, dtype: int64 }
        ---
        kind: on_demand_feature_view
        name: adjusted
        sources: [hourly, trip]
        schema:
          - { name: plus_val, dtype: float64, expression: "conv_rate + val_to_add" }
        ---
        kind: feature_service
        name: ranking
        features: [hourly, adjusted]
        logging: { path: data/logs }
        ---
        kind: feature_service
        name: unlogged
        features: [hourly]
        """;

    private static readonly (string, string)[] Columns = [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float64"), ("trips", "int64")];

    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-skew-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Day.AddHours(10));
    private FeatureStore? _store;

    private FeatureStore Store => _store ?? throw new InvalidOperationException("not initialized");

    private static DateTimeOffset At(double hours) => Day.AddHours(hours);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_repo);
        await File.WriteAllTextAsync(Path.Combine(_repo, "granary.yaml"), "project: skew\n");
        await File.WriteAllTextAsync(Path.Combine(_repo, "features.yaml"), Definitions);
        await WriteStatsAsync(
            [1001L, At(8), 0.5, 10L],
            [1002L, At(8), 0.25, 20L],
            [1004L, At(8), 0.7, 40L]);
        await using (var writer = NewStore())
        {
            await writer.ApplyAsync(FeatureRepo.LoadDefinitions(_repo));
            await writer.MaterializeAsync(At(0), At(9));

            // Served at 10:00: 1001, 1002 and 1004 as materialized, 1003 not found. Disposing writes the log.
            await writer.GetOnlineFeaturesAsync(Read([1001, 1002, 1003, 1004], [1, 2, 3, 4]));
            _time.Advance(TimeSpan.FromHours(1));
            await writer.GetOnlineFeaturesAsync(Read([1001], [5]));
        }

        // Then the source changes: 1001 gets a newer row (never materialized), 1002's 08:00 row is
        // rewritten, 1003 appears, 1004 is removed.
        await WriteStatsAsync(
            [1001L, At(8), 0.5, 10L],
            [1001L, At(9.5), 0.6, 11L],
            [1002L, At(8), 0.3, 20L],
            [1003L, At(8), 0.9, 30L]);
        _store = NewStore();
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_repo, recursive: true);
    }

    private FeatureStore NewStore() => new(
        FeatureRepo.LoadConfig(_repo),
        new FileRegistry(Path.Combine(_repo, "registry.json"), _time),
        new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = _repo }),
        new Lazy<OnlineStore>(() => new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(_repo, "online.db") })),
        _time,
        options: new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.Zero });

    private static OnlineFeaturesRequest Read(long[] drivers, long[] values) => new()
    {
        FeatureService = "ranking",
        Entities = new Dictionary<string, IReadOnlyList<object?>>
        {
            ["driver_id"] = drivers.Cast<object?>().ToArray(),
            ["val_to_add"] = values.Cast<object?>().ToArray(),
        },
    };

    private Task WriteStatsAsync(params object?[][] rows) => File.WriteAllTextAsync(Path.Combine(_repo, "stats.csv"), TestTable.Of(Columns, rows).ToCsv());

    [Fact]
    public async Task ComputeSkew_EveryKindOfChange_CountsEachCause()
    {
        var report = await Store.ComputeSkewAsync("ranking", At(10), At(10.5));

        Assert.Equal(("ranking", At(10), At(10.5), 4L), (report.FeatureService, report.Start, report.End, report.Rows));
        Assert.Equal(["hourly__conv_rate", "hourly__trips", "adjusted__plus_val"], report.Features.Select(f => f.Feature));

        // conv_rate: 1001 served 0.5 (08:00), offline 0.6 (09:30): stale; 1002 0.25 vs 0.3 at the same 08:00: value differs;
        // 1003 served nothing, offline 0.9: offline only; 1004 served 0.7, offline nothing: online only.
        var conv = report.Features[0];
        Assert.Equal((4L, 0L, 4L, 1.0), (conv.Compared, conv.Matches, conv.Mismatches, conv.MismatchRate));
        Assert.Equal(new SkewCauses(ValueDiffers: 1, StaleOnline: 1, OnlineOnly: 1, OfflineOnly: 1), conv.Causes);
        // Both present for 1001 (0.1 / 0.55) and 1002 (0.05 / 0.275): both 2/11.
        Assert.Equal(2.0 / 11, conv.Smape!.Value, 12);

        // trips: 1002 serves 20 and still has 20; 1001 10 vs 11 stale; 1003, 1004 as above.
        var trips = report.Features[1];
        Assert.Equal((4L, 1L, 3L, 0.75), (trips.Compared, trips.Matches, trips.Mismatches, trips.MismatchRate));
        Assert.Equal(new SkewCauses(0, 1, 1, 1), trips.Causes);
        Assert.Equal((1.0 / 10.5 + 0) / 2, trips.Smape!.Value, 12);

        // plus_val has no event time of its own: 1001 (1.5 vs 1.6) and 1002 (2.25 vs 2.3) are value differences.
        var plus = report.Features[2];
        Assert.Equal(new SkewCauses(2, 0, 1, 1), plus.Causes);
        Assert.Equal(((0.1 / 1.55) + (0.05 / 2.275)) / 2, plus.Smape!.Value, 9);

        var first = conv.Examples[0];
        Assert.Equal(4, conv.Examples.Count);
        Assert.Equal(1001L, first.Entity["driver_id"]);
        Assert.Equal((At(10), (object?)0.5, (object?)0.6, (DateTimeOffset?)At(8), (DateTimeOffset?)At(9.5), "stale_online"),
            (first.LogTimestamp, first.Online, first.Offline, first.OnlineEventTimestamp, first.OfflineEventTimestamp, first.Cause));
        Assert.Equal(["stale_online", "value_differs", "offline_only", "online_only"], conv.Examples.Select(e => e.Cause));
        Assert.Equal([(object?)null, 0.9], new[] { conv.Examples[2].Online, conv.Examples[2].Offline });
    }

    [Fact]
    public async Task ComputeSkew_AllRows_TakesTheRangeFromTheLog()
    {
        var report = await Store.ComputeSkewAsync("ranking");

        // The 11:00 read of 1001 (val 5): served 0.5 (08:00), offline 0.6 (09:30): one more stale row.
        Assert.Equal((At(10), At(11), 5L), (report.Start, report.End, report.Rows));
        Assert.Equal(new SkewCauses(1, 2, 1, 1), report.Features[0].Causes);
        // conv_rate and plus_val now mismatch in 5 of 5 rows, trips in 4 of 5 (0.8).
        Assert.Equal(["hourly__conv_rate", "adjusted__plus_val"], report.Above(0.8).Select(f => f.Feature));
        Assert.Equal(3, report.Above(0).Count);
    }

    [Fact]
    public async Task ComputeSkew_NothingLoggedInRange_ReportsNoRows()
    {
        var report = await Store.ComputeSkewAsync("ranking", At(20), At(21));

        Assert.Equal(0, report.Rows);
        Assert.All(report.Features, f => Assert.Equal((0L, 0.0), (f.Compared, f.MismatchRate)));
        Assert.Empty(report.Above(0));
    }

    [Fact]
    public async Task ComputeSkew_ServiceWithoutLogging_SaysHowToTurnItOn()
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => Store.ComputeSkewAsync("unlogged"));

        Assert.Equal("feature service 'unlogged' has no logging; add logging: { sample_rate: 1.0 } to it, apply, and serve reads first", error.Message);
    }

    [Fact]
    public async Task ComputeSkew_SourceBackAsServed_EveryValueMatches()
    {
        await WriteStatsAsync(
            [1001L, At(8), 0.5, 10L],
            [1002L, At(8), 0.25, 20L],
            [1004L, At(8), 0.7, 40L]);

        var report = await Store.ComputeSkewAsync("ranking");

        // 1003 was not found and has no row: both null, a match.
        Assert.All(report.Features, f => Assert.Equal((5L, 5L), (f.Compared, f.Matches)));
        Assert.Equal(0.0, report.Features[0].Smape!.Value);
        Assert.Empty(report.Features[0].Examples);
    }

    [Fact]
    public async Task ComputeSkew_RangeCutsAFile_KeepsOnlyRowsWithinBothBounds()
    {
        // The log file holds reads at 10:00 (four rows) and 11:00 (one); a range of the instant 11:00 keeps the last.
        var report = await Store.ComputeSkewAsync("ranking", At(11), At(11));

        Assert.Equal((At(11), At(11), 1L), (report.Start, report.End, report.Rows));
        // 1001 served 0.5 (08:00), offline 0.6 (09:30); trips 10 vs 11; plus_val 0.5 + 5 vs 0.6 + 5 (no event time: differs).
        Assert.Equal(new SkewCauses(0, 1, 0, 0), report.Features[0].Causes);
        Assert.Equal(new SkewCauses(0, 1, 0, 0), report.Features[1].Causes);
        Assert.Equal(new SkewCauses(1, 0, 0, 0), report.Features[2].Causes);
        Assert.Equal((5.5, 5.6), ((double)report.Features[2].Examples[0].Online!, (double)report.Features[2].Examples[0].Offline!), new ToleranceComparer());
    }

    [Fact]
    public async Task ComputeSkew_FeatureAddedBetweenLogFiles_ComparesItOnlyWhereLogged()
    {
        // A second apply adds doubled (conv_rate * 2) to the service; a read at 12:00 goes to a second log file
        // whose columns are the first file's and doubled's.
        await File.WriteAllTextAsync(Path.Combine(_repo, "features.yaml"), Definitions.Replace(
            "features: [hourly, adjusted]", "features: [hourly, adjusted, doubled]", StringComparison.Ordinal) + """

            ---
            kind: on_demand_feature_view
            name: doubled
            sources: [hourly]
            schema:
              - { name: twice, dtype: float64, expression: "conv_rate * 2" }
            """);
        _time.Advance(TimeSpan.FromHours(1));
        await using (var writer = NewStore())
        {
            await writer.ApplyAsync(FeatureRepo.LoadDefinitions(_repo));
            await writer.GetOnlineFeaturesAsync(Read([1001], [6]));
        }

        var report = await Store.ComputeSkewAsync("ranking");

        Assert.Equal((At(10), At(12), 6L), (report.Start, report.End, report.Rows));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_repo, "data", "logs"), "*.parquet", SearchOption.AllDirectories).Length);

        // doubled was served once, at 12:00: 1001's materialized 0.5 doubled, against 0.6 (09:30) doubled offline.
        // The five rows logged before it are not compared (not offline_only, though their file has no value).
        var doubled = report.Features.Single(f => f.Feature == "doubled__twice");
        Assert.Equal((1L, 0L), (doubled.Compared, doubled.Matches));
        Assert.Equal(new SkewCauses(1, 0, 0, 0), doubled.Causes);
        Assert.Equal((1.0, 1.2), ((double)doubled.Examples[0].Online!, (double)doubled.Examples[0].Offline!), new ToleranceComparer());
        Assert.Equal(At(12), doubled.Examples[0].LogTimestamp);

        // conv_rate in all six rows: the 12:00 row of 1001 is one more stale value.
        var conv = report.Features[0];
        Assert.Equal((6L, new SkewCauses(1, 3, 1, 1)), (conv.Compared, conv.Causes));
    }

    private sealed class ToleranceComparer : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-12 && Math.Abs(x.Item2 - y.Item2) < 1e-12;

        public int GetHashCode((double, double) obj) => 0;
    }
}
