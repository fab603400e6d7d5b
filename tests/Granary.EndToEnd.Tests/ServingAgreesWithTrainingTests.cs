using Granary.Conformance;
using Granary.Definitions;
using Granary.DuckDb;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Microsoft.Extensions.Time.Testing;

namespace Granary.EndToEnd.Tests;

/// <summary>
/// The promise of a feature store: after materializing up to T, an online read at T returns exactly
/// what training data holds for an entity row at T. Run against each online store, with DuckDB over
/// CSV files as the offline store unless a subclass brings another offline store and its sources.
/// </summary>
public abstract class ServingAgreesWithTrainingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Day);
    private FeatureStore? _store;
    private DataSource? _stats;

    private FeatureStore Store => _store ?? throw new InvalidOperationException("not initialized");

    /// <summary>The online store under test, built fresh per test.</summary>
    protected abstract Task<OnlineStore> CreateOnlineStoreAsync(string repoPath);

    /// <summary>The offline store, built fresh per test: DuckDB over the repo's files, two rows per batch, unless overridden.</summary>
    protected virtual Task<OfflineStore> CreateOfflineStoreAsync(string repoPath) =>
        Task.FromResult<OfflineStore>(new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = repoPath, BatchSize = 2 }));

    /// <summary>The source kinds the registry stores: the core's, and those of the sources <see cref="CreateSourceAsync"/> makes.</summary>
    protected virtual SourceKinds SourceKinds { get; } = new();

    /// <summary>
    /// Stores <paramref name="table"/> where the offline store reads it and returns a source named
    /// <paramref name="name"/> over it: a CSV file in the repo unless overridden.
    /// </summary>
    protected virtual async Task<DataSource> CreateSourceAsync(string repoPath, string name, TestTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        await File.WriteAllTextAsync(Path.Combine(repoPath, name + ".csv"), table.ToCsv());
        return new FileSource { Name = name, Path = name + ".csv" };
    }

    private static DateTimeOffset At(int hour, int minute = 0) => Day.AddHours(hour).AddMinutes(minute);

    private static readonly Entity Driver = new() { Name = "driver", JoinKeys = ["driver_id"] };

    /// <summary>
    /// Two views over one source: <c>recent</c> with a 2h ttl, <c>lifetime</c> without. Driver 1001
    /// reports at 06:00, 09:00 (twice, created 09:05 and 09:20) and 13:00; 1002 at 05:00 only; 1003 at
    /// 10:30 with a null rating.
    /// </summary>
    private static readonly TestTable Stats = TestTable.Of(
        [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("conv_rate", "float64"), ("rating", "float64"), ("trips", "int64")],
        [1001L, At(6), At(6), 0.1, 4.0, 10L],
        [1001L, At(9), At(9, 20), 0.3, 4.5, 30L],
        [1001L, At(9), At(9, 5), 0.2, 4.4, 20L],
        [1001L, At(13), At(13), 0.4, 4.8, 40L],
        [1002L, At(5), At(5), 0.5, 3.0, 50L],
        [1003L, At(10, 30), At(10, 30), 0.7, null, 70L]);

    private DefinitionSet Definitions(bool withLifetime = true) => new()
    {
        Entities = [Driver],
        Sources = [_stats ?? throw new InvalidOperationException("not initialized")],
        FeatureViews = withLifetime
            ? [View("recent", TimeSpan.FromHours(2), "conv_rate", "rating"), View("lifetime", TimeSpan.Zero, "trips")]
            : [View("recent", TimeSpan.FromHours(2), "conv_rate", "rating")],
    };

    private static FeatureView View(string name, TimeSpan ttl, params string[] features) => new()
    {
        Name = name,
        Entities = ["driver"],
        Source = "stats",
        Ttl = ttl,
        Schema = features.Select(f => new Field { Name = f, Dtype = f == "trips" ? DataType.Int64 : DataType.Float64 }).ToArray(),
    };

    private static readonly string[] Features = ["recent:conv_rate", "recent:rating", "lifetime:trips"];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_repo);
        var config = new RepoConfig { RepoPath = _repo, Project = "e2e" + Guid.NewGuid().ToString("N")[..8] };
        var offline = await CreateOfflineStoreAsync(_repo);
        _stats = await CreateSourceAsync(_repo, "stats", Stats) with { CreatedTimestampColumn = "created" };
        var online = await CreateOnlineStoreAsync(_repo);
        _store = new FeatureStore(
            config,
            new FileRegistry(Path.Combine(_repo, "registry.json"), _time, SourceKinds),
            offline,
            new Lazy<OnlineStore>(online),
            _time,
            options: new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.Zero },
            sourceKinds: SourceKinds);
        await Store.ApplyAsync(Definitions());
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.TeardownAsync();
            await _store.DisposeAsync();
        }

        Directory.Delete(_repo, recursive: true);
    }

    private async Task<Dictionary<long, Dictionary<string, object?>>> TrainingAtAsync(DateTimeOffset t, params long[] drivers)
    {
        var path = Path.Combine(_repo, $"entities-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, TestTable.Of([("driver_id", "int64"), ("event_timestamp", "unix_timestamp")], drivers.Select(d => new object?[] { d, t }).ToArray()).ToCsv());
        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityInput.FromFile(path), Features = Features });
        return (await ResultRows.ReadAllAsync(result)).ToDictionary(r => (long)r["driver_id"]!);
    }

    private async Task<OnlineResponse> ServingAtAsync(DateTimeOffset t, params long[] drivers)
    {
        _time.SetUtcNow(t);
        return await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = Features,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = drivers.Cast<object?>().ToArray() },
        });
    }

    private async Task AssertServingEqualsTrainingAsync(DateTimeOffset t, params long[] drivers)
    {
        var training = await TrainingAtAsync(t, drivers);
        var serving = await ServingAtAsync(t, drivers);
        for (var i = 0; i < drivers.Length; i++)
        {
            foreach (var name in new[] { "conv_rate", "rating", "trips" })
            {
                Assert.True(Equals(training[drivers[i]][name], serving[name].Values[i]),
                    $"driver {drivers[i]}, {name} at {t:u}: training {training[drivers[i]][name] ?? "null"}, serving {serving[name].Values[i] ?? "null"} ({serving[name].Statuses[i]})");
            }
        }
    }

    [Fact]
    public async Task MaterializeUpToT_OnlineReadAtT_EqualsTrainingDataAtT()
    {
        foreach (var t in new[] { At(7), At(10), At(11), At(12), At(14) })
        {
            await Store.MaterializeAsync(Day.AddDays(-1), t);

            await AssertServingEqualsTrainingAsync(t, 1001, 1002, 1003, 1004);
        }
    }

    [Fact]
    public async Task OnlineRead_HandWorkedStatuses_AtEleven()
    {
        await Store.MaterializeAsync(Day.AddDays(-1), At(11));

        var response = await ServingAtAsync(At(11), 1001, 1002, 1003, 1004);

        // 1001: the 09:00 row created 09:20 (0.3) is 2h old: inside the inclusive ttl. 1002: 05:00 is
        // 6h old, outside the ttl, but lifetime has no ttl. 1003: rating is null. 1004: unknown.
        Assert.Equal([0.3, null, 0.7, null], response["conv_rate"].Values);
        Assert.Equal([FeatureStatus.Present, FeatureStatus.OutsideMaxAge, FeatureStatus.Present, FeatureStatus.NotFound], response["conv_rate"].Statuses);
        Assert.Equal([FeatureStatus.Present, FeatureStatus.OutsideMaxAge, FeatureStatus.NullValue, FeatureStatus.NotFound], response["rating"].Statuses);
        Assert.Equal([30L, 50L, 70L, null], response["trips"].Values);
        Assert.Equal([At(9), At(5), At(10, 30), null], response["trips"].EventTimestamps);
        Assert.Equal(["driver_id", "conv_rate", "rating", "trips"], response.FeatureNames);
    }

    [Fact]
    public async Task MaterializeIncremental_InSteps_EqualsOneFullRun()
    {
        await Store.MaterializeAsync(Day.AddDays(-1), At(8));
        await Store.MaterializeIncrementalAsync(At(10));
        await Store.MaterializeIncrementalAsync(At(14));

        await AssertServingEqualsTrainingAsync(At(14), 1001, 1002, 1003);
        Assert.Equal(0.4, (await ServingAtAsync(At(14), 1001))["conv_rate"].Values[0]);
    }

    [Fact]
    public async Task MaterializeIncremental_FirstRunStartsAtEndMinusTtl()
    {
        await Store.MaterializeIncrementalAsync(At(11), ["recent"]);

        // recent (ttl 2h) starts at 09:00: 1002's 05:00 row is not loaded, so it is not found.
        var response = await ServingAtAsync(At(11), 1001, 1002);
        Assert.Equal([FeatureStatus.Present, FeatureStatus.NotFound], response["conv_rate"].Statuses);
        var snapshot = await Store.GetSnapshotAsync();
        Assert.Equal(At(11), snapshot.LastMaterializedEnd("recent"));
        Assert.Null(snapshot.LastMaterializedEnd("lifetime"));
    }

    [Fact]
    public async Task MaterializeIncremental_ViewWithoutTtlNeverMaterialized_SaysToRunMaterialize()
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => Store.MaterializeIncrementalAsync(At(11), ["lifetime"]));

        Assert.Contains("run 'granary materialize START END'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Materialize_WithProgress_ReportsTheTotalForAnEta()
    {
        var reports = new List<Granary.Materialization.MaterializationProgress>();

        await Store.MaterializeAsync(Day.AddDays(-1), At(11), ["recent"], new Callback(reports.Add));

        // 1001, 1002 and 1003 have rows by 11:00; the offline store counts them before loading.
        Assert.All(reports, r => Assert.Equal(3, r.TotalRows));
        Assert.Equal(3, reports[^1].RowsWritten);
        Assert.True(reports[^1].Completed);
    }

    [Fact]
    public async Task Materialize_OlderIntervalAfterNewer_ChangesNothing()
    {
        await Store.MaterializeAsync(Day.AddDays(-1), At(14));

        await Store.MaterializeAsync(Day.AddDays(-1), At(7));

        var response = await ServingAtAsync(At(14), 1001);
        Assert.Equal(0.4, response["conv_rate"].Values[0]);
        Assert.Equal(At(13), response["conv_rate"].EventTimestamps[0]);
    }

    [Fact]
    public async Task Materialize_Interrupted_RecordsNothingAndRerunLosesNothing()
    {
        using var cancel = new CancellationTokenSource();
        var reports = 0;
        var progress = new Callback(p =>
        {
            if (!p.Completed && ++reports == 1)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.MaterializeAsync(Day.AddDays(-1), At(14), null, progress, cancel.Token));
        Assert.Null((await Store.GetSnapshotAsync()).LastMaterializedEnd("recent"));

        await Store.MaterializeAsync(Day.AddDays(-1), At(14));
        await AssertServingEqualsTrainingAsync(At(14), 1001, 1002, 1003);
    }

    [Fact]
    public async Task Apply_ChangedSchema_ForgetsIntervalsSoIncrementalReloadsAndServingAgrees()
    {
        await Store.MaterializeAsync(Day.AddDays(-1), At(11));
        var changed = Definitions() with
        {
            FeatureViews = [View("recent", TimeSpan.FromHours(2), "conv_rate", "rating", "trips"), View("lifetime", TimeSpan.Zero, "trips")],
        };

        await Store.ApplyAsync(changed);
        var snapshot = await Store.GetSnapshotAsync();
        await Store.MaterializeIncrementalAsync(At(12), ["recent"]);

        Assert.Null(snapshot.LastMaterializedEnd("recent"));
        Assert.Equal(At(11), snapshot.LastMaterializedEnd("lifetime"));
        var response = await ServingAtAsync(At(12), 1001, 1003);
        // The reload starts at 12:00 - 2h: 1003's 10:30 row is loaded; 1001's latest (09:00) is
        // older, and is 3h old at 12:00, so training has null for it too.
        // (A store that kept 1001's old row reports it OUTSIDE_MAX_AGE, one that rebuilt the view NOT_FOUND.)
        Assert.Equal([null, 0.7], response["conv_rate"].Values);
        Assert.Contains(response["conv_rate"].Statuses[0], new[] { FeatureStatus.NotFound, FeatureStatus.OutsideMaxAge });
        Assert.Equal(FeatureStatus.Present, response["conv_rate"].Statuses[1]);
    }

    [Fact]
    public async Task Apply_ChangedSource_DropsRowsOfTheOldSource()
    {
        await Store.MaterializeAsync(Day.AddDays(-1), At(11));
        var eu = await CreateSourceAsync(_repo, "eu", TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("conv_rate", "float64"), ("rating", "float64"), ("trips", "int64")],
            [1003L, At(10), At(10), 0.9, 5.0, 90L]));
        var moved = Definitions() with
        {
            Sources = [.. Definitions().Sources, eu with { CreatedTimestampColumn = "created" }],
            FeatureViews = [View("recent", TimeSpan.FromHours(2), "conv_rate", "rating") with { Source = "eu" }, View("lifetime", TimeSpan.Zero, "trips")],
        };

        await Store.ApplyAsync(moved);
        await Store.MaterializeIncrementalAsync(At(11), ["recent"]);

        // 1001 is not in the new source: its old row (0.3 from 09:00) must not be served.
        await AssertServingEqualsTrainingAsync(At(11), 1001, 1003);
        var response = await ServingAtAsync(At(11), 1001, 1003);
        Assert.Equal([null, 0.9], response["conv_rate"].Values);
    }

    [Fact]
    public async Task Apply_DeletingAView_RemovesItsOnlineData()
    {
        await Store.MaterializeAsync(Day.AddDays(-1), At(14));
        var lifetime = Definitions().FindFeatureView("lifetime")!;

        await Store.ApplyAsync(Definitions(withLifetime: false));

        var rows = await Store.Online.ReadAsync(
            Store.Project, [new OnlineViewRead(lifetime, lifetime.Schema)], [new EntityKey(["driver_id"], [1001L])]);
        Assert.Null(rows[0][0]);
        var error = await Assert.ThrowsAsync<DefinitionNotFoundException>(() => ServingAtAsync(At(14), 1001));
        Assert.Contains("unknown feature view 'lifetime'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOnlineFeatures_WrongKeyType_FailsNamingTheColumn()
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = Features,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = ["abc"] },
        }));

        Assert.Contains("entity column 'driver_id' has value 'abc', which is not int64", error.Message, StringComparison.Ordinal);
    }

    private sealed class Callback(Action<Granary.Materialization.MaterializationProgress> report) : IProgress<Granary.Materialization.MaterializationProgress>
    {
        public void Report(Granary.Materialization.MaterializationProgress value) => report(value);
    }
}
