using System.Diagnostics.Metrics;
using Granary.Conformance;
using Granary.DuckDb;
using Granary.FeatureLogs;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Granary.EndToEnd.Tests;

/// <summary>
/// Served-feature logging through the in-process SDK on DuckDB and SQLite: the rows written (hand-worked),
/// sampling by request, the bounded queue, flushes by rows, by time and on dispose, and a failing
/// write that never fails a read.
/// </summary>
public sealed class FeatureLoggingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2021, 4, 12, 10, 0, 0, TimeSpan.Zero);

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
        ttl: 2h
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
        name: logged_ranking
        features: [hourly, adjusted]
        logging: { sample_rate: RATE, path: LOGS }
        ---
        kind: feature_service
        name: unlogged
        features: [hourly]

        """;

    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-logs-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(T);
    private readonly List<FeatureStore> _stores = [];
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Rows, string Service, string? Reason)> _counted = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_repo);
        await File.WriteAllTextAsync(Path.Combine(_repo, "granary.yaml"), "project: logs\n");
        await File.WriteAllTextAsync(Path.Combine(_repo, "stats.csv"), TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float64"), ("trips", "int64")],
            [1001L, T.AddHours(-1), 0.5, 10L],
            [1002L, T.AddHours(-3), 0.25, 20L]).ToCsv());
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FeatureLogMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? service = null, reason = null;
            foreach (var tag in tags)
            {
                service = tag.Key == "feature_service" ? tag.Value as string : service;
                reason = tag.Key == "reason" ? tag.Value as string : reason;
            }

            lock (_counted)
            {
                _counted.Add((instrument.Name, value, service!, reason));
            }
        });
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        Directory.Delete(_repo, recursive: true);
    }

    private async Task<FeatureStore> StoreAsync(double rate = 1.0, string logs = "data/feature_logs", FeatureLogOptions? options = null)
    {
        await File.WriteAllTextAsync(
            Path.Combine(_repo, "features.yaml"),
            Definitions.Replace("RATE", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("LOGS", logs, StringComparison.Ordinal));
        var store = new FeatureStore(
            FeatureRepo.LoadConfig(_repo),
            new FileRegistry(Path.Combine(_repo, "registry.json"), _time),
            new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = _repo }),
            new Lazy<OnlineStore>(() => new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(_repo, "online.db") })),
            _time,
            options: new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.Zero, FeatureLogs = options ?? new FeatureLogOptions() });
        _stores.Add(store);
        var current = await store.Registry.GetVersionAsync("logs");
        var plan = await store.PlanAsync(FeatureRepo.LoadDefinitions(_repo));
        if (!plan.Diff.IsEmpty || current == 0)
        {
            await store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo));
        }

        await store.MaterializeAsync(T.AddDays(-1), T);
        return store;
    }

    private static Task<OnlineResponse> ReadAsync(FeatureStore store, long[] drivers, string service = "logged_ranking", string? requestId = null) =>
        store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            FeatureService = service,
            Entities = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["driver_id"] = drivers.Cast<object?>().ToArray(),
                ["val_to_add"] = drivers.Select(d => (object?)(d - 1000)).ToArray(),
            },
            RequestId = requestId,
        });

    private async Task<List<Dictionary<string, object?>>> LoggedRowsAsync(string folder = "data/feature_logs")
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var file in FeatureLogColumns.Files(Path.Combine(_repo, folder), null, null))
        {
            await using var reader = await EntityFileReader.OpenAsync(file);
            await foreach (var batch in reader.ReadAsync())
            {
                rows.AddRange(ResultRows.ToRows(batch));
            }
        }

        return rows;
    }

    private long Counted(string instrument, string? reason = null)
    {
        lock (_counted)
        {
            return _counted.Where(c => c.Instrument == instrument && c.Service == "logged_ranking" && (reason is null || c.Reason == reason)).Sum(c => c.Rows);
        }
    }

    [Fact]
    public async Task GetOnlineFeatures_LoggedService_WritesOneRowPerEntityRowOnDispose()
    {
        var store = await StoreAsync();

        var response = await ReadAsync(store, [1001, 1002, 1003], requestId: "req-1");
        await ReadAsync(store, [1001], service: "unlogged");
        await store.DisposeAsync();

        Assert.Equal([0.5, null, null], response["conv_rate"].Values);
        var folder = Path.Combine(_repo, "data", "feature_logs", "date=2021-04-12");
        Assert.Single(Directory.GetFiles(folder, "*.parquet"));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
        var rows = await LoggedRowsAsync();
        Assert.Equal(
            [
                "driver_id", "val_to_add",
                "hourly__conv_rate", "hourly__conv_rate__timestamp", "hourly__conv_rate__status",
                "hourly__trips", "hourly__trips__timestamp", "hourly__trips__status",
                "adjusted__plus_val", "adjusted__plus_val__timestamp", "adjusted__plus_val__status",
                "__log_timestamp", "__request_id", "__registry_version",
            ],
            rows[0].Keys);
        Assert.Equal([1001L, 1002L, 1003L], rows.Select(r => r["driver_id"]));
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r["val_to_add"]));
        // 1001's row is an hour old; 1002's is three hours old, beyond the 2h ttl; 1003 has none.
        Assert.Equal([0.5, null, null], rows.Select(r => r["hourly__conv_rate"]));
        Assert.Equal([10L, null, null], rows.Select(r => r["hourly__trips"]));
        Assert.Equal([(object?)T.AddHours(-1), T.AddHours(-3), null], rows.Select(r => r["hourly__trips__timestamp"]));
        // Statuses are Feast's FieldStatus numbers: 1 PRESENT, 2 NULL_VALUE, 3 NOT_FOUND, 4 OUTSIDE_MAX_AGE.
        Assert.Equal([1, 4, 3], rows.Select(r => (int)r["hourly__conv_rate__status"]!));
        Assert.Equal([0.5 + 1, null, null], rows.Select(r => r["adjusted__plus_val"]));
        Assert.Equal([1, 2, 2], rows.Select(r => (int)r["adjusted__plus_val__status"]!));
        Assert.All(rows, r => Assert.Null(r["adjusted__plus_val__timestamp"]));
        Assert.All(rows, r => Assert.Equal((T, "req-1", 1L), ((DateTimeOffset)r["__log_timestamp"]!, r["__request_id"], r["__registry_version"])));
        Assert.Equal(3, Counted("granary.feature_logs.flushed_rows"));
    }

    [Fact]
    public async Task GetOnlineFeatures_HalfSampled_KeepsOrDropsEachRequestWhole()
    {
        var store = await StoreAsync(rate: 0.5);

        for (var i = 0; i < 200; i++)
        {
            await ReadAsync(store, [1001, 1002], requestId: $"r{i}");
        }

        await store.DisposeAsync();

        var requests = (await LoggedRowsAsync()).GroupBy(r => (string)r["__request_id"]!).ToList();
        Assert.All(requests, r => Assert.Equal([1001L, 1002L], r.Select(x => x["driver_id"])));
        // 200 fair coin flips: all heads or all tails has probability 2^-199.
        Assert.InRange(requests.Count, 1, 199);
    }

    [Fact]
    public async Task GetOnlineFeatures_SampleRateZero_LogsNothing()
    {
        var store = await StoreAsync(rate: 0);

        await ReadAsync(store, [1001]);
        await store.DisposeAsync();

        Assert.False(Directory.Exists(Path.Combine(_repo, "data", "feature_logs")));
    }

    [Fact]
    public async Task GetOnlineFeatures_QueueFull_DropsWholeReadsAndCountsThem()
    {
        // Nothing is written before dispose (an hour and a million rows away), so the queue only fills.
        var store = await StoreAsync(options: new FeatureLogOptions { QueueRows = 3, FlushRows = 1_000_000, FlushInterval = TimeSpan.FromHours(1) });

        await ReadAsync(store, [1001, 1002], requestId: "fits");
        var dropped = await ReadAsync(store, [1001, 1002], requestId: "too_many");
        await ReadAsync(store, [1003], requestId: "fits_too");
        await store.DisposeAsync();

        Assert.Equal([0.5, null], dropped["conv_rate"].Values);
        Assert.Equal(["fits", "fits", "fits_too"], (await LoggedRowsAsync()).Select(r => r["__request_id"]));
        Assert.Equal(2, Counted("granary.feature_logs.dropped_rows", FeatureLogMetrics.QueueFull));
        Assert.Equal(3, Counted("granary.feature_logs.flushed_rows"));
    }

    [Fact]
    public async Task GetOnlineFeatures_EnoughRows_FlushesWithoutWaitingForTimeOrDispose()
    {
        var store = await StoreAsync(options: new FeatureLogOptions { FlushRows = 2, FlushInterval = TimeSpan.FromHours(1) });

        await ReadAsync(store, [1001, 1002]);

        var folder = Path.Combine(_repo, "data", "feature_logs");
        await WaitForAsync(() => FeatureLogColumns.Files(folder, null, null).Count == 1);
        Assert.Equal(2, (await LoggedRowsAsync()).Count);
    }

    [Fact]
    public async Task GetOnlineFeatures_FlushIntervalPasses_WritesTheFewRowsThere()
    {
        var store = await StoreAsync(options: new FeatureLogOptions { FlushRows = 1000, FlushInterval = TimeSpan.FromSeconds(10) });

        await ReadAsync(store, [1001]);
        var folder = Path.Combine(_repo, "data", "feature_logs");
        await WaitForAsync(() =>
        {
            // The writer waits on the fake clock; move it until the interval has passed for the writer too.
            _time.Advance(TimeSpan.FromSeconds(5));
            return FeatureLogColumns.Files(folder, null, null).Count == 1;
        });

        Assert.Single(await LoggedRowsAsync());
    }

    [Fact]
    public async Task GetOnlineFeatures_ReadsOnTwoDays_WritesEachDayToItsOwnFolder()
    {
        var store = await StoreAsync(options: new FeatureLogOptions { FlushInterval = TimeSpan.FromHours(1) });

        await ReadAsync(store, [1001], requestId: "monday");
        _time.Advance(TimeSpan.FromDays(1));
        await ReadAsync(store, [1001, 1002], requestId: "tuesday");
        await store.DisposeAsync();

        var folder = Path.Combine(_repo, "data", "feature_logs");
        Assert.Equal(["date=2021-04-12", "date=2021-04-13"], Directory.GetDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var monday = FeatureLogColumns.Files(folder, T, T);
        var tuesday = FeatureLogColumns.Files(folder, T.AddDays(1), T.AddDays(1));
        Assert.Single(monday);
        Assert.Single(tuesday);
        var rows = await LoggedRowsAsync();
        // A day later 1001's row (an hour older than T) is beyond the 2h ttl.
        Assert.Equal(
            [("monday", T, 1), ("tuesday", T.AddDays(1), 4), ("tuesday", T.AddDays(1), 4)], // PRESENT, then OUTSIDE_MAX_AGE
            rows.Select(r => ((string)r["__request_id"]!, (DateTimeOffset)r["__log_timestamp"]!, (int)r["hourly__conv_rate__status"]!)));
        Assert.Equal(3, Counted("granary.feature_logs.flushed_rows"));
    }

    [Fact]
    public async Task GetOnlineFeatures_LogFolderIsAFile_ReadSucceedsAndRowsCountAsFailed()
    {
        await File.WriteAllTextAsync(Path.Combine(_repo, "blocked"), "not a folder");
        var store = await StoreAsync(logs: "blocked");

        var response = await ReadAsync(store, [1001]);
        await store.DisposeAsync();

        Assert.Equal([0.5], response["conv_rate"].Values);
        Assert.Equal(1, Counted("granary.feature_logs.dropped_rows", FeatureLogMetrics.WriteFailed));
        Assert.Equal(0, Counted("granary.feature_logs.flushed_rows"));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
