using Granary.Conformance;
using Granary.ExampleBackend.Tests.Backend;
using Granary.Offline;
using Granary.Online;
using Granary.Repo;
using Microsoft.Extensions.Time.Testing;

namespace Granary.ExampleBackend.Tests;

/// <summary>
/// A repo that names only the example backend's types, used through the facade as a host would:
/// apply, training data, materialization and online reads. Every expected value is worked out by hand
/// from the rows below; times are on 2021-04-12 UTC.
/// </summary>
public sealed class ExampleBackendEndToEndTests : IAsyncLifetime
{
    private const string Features = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: csv_folder_source
        name: trips
        folder: data/trips
        created_timestamp_column: created
        schema:
          - { name: driver_id, dtype: int64 }
          - { name: event_timestamp, dtype: unix_timestamp }
          - { name: created, dtype: unix_timestamp }
          - { name: conv_rate, dtype: float32 }
          - { name: trips, dtype: int64 }
        ---
        kind: feature_view
        name: driver_stats
        entities: [driver]
        source: trips
        ttl: 2h
        schema:
          - { name: conv_rate, dtype: float32 }
          - { name: trips, dtype: int64 }
        """;

    /// <summary>1001 at 08:00 and 09:00 (created 09:05); 1002 at 09:30.</summary>
    private const string Morning = """
        driver_id,event_timestamp,created,conv_rate,trips
        1001,2021-04-12T08:00:00Z,2021-04-12T08:00:00Z,0.25,10
        1001,2021-04-12T09:00:00Z,2021-04-12T09:05:00Z,0.5,20
        1002,2021-04-12T09:30:00Z,2021-04-12T09:30:00Z,0.75,30
        """;

    /// <summary>A second file, its columns in another order: 1001's 09:00 row again, created later (09:10); 1001 at 11:00; 1003 at 07:00.</summary>
    private const string Corrections = """
        event_timestamp,driver_id,conv_rate,trips,created
        2021-04-12T09:00:00Z,1001,0.625,21,2021-04-12T09:10:00Z
        2021-04-12T11:00:00Z,1001,1,40,2021-04-12T11:00:00Z
        2021-04-12T07:00:00Z,1003,0.125,5,2021-04-12T07:00:00Z
        """;

    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Selected = ["driver_stats:conv_rate", "driver_stats:trips"];
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-example-").FullName;
    private readonly string _database = "e2e-" + Guid.NewGuid().ToString("N");
    private readonly FakeTimeProvider _time = new(Day);
    private FeatureStore? _store;

    private FeatureStore Store => _store ?? throw new InvalidOperationException("not initialized");

    private static DateTimeOffset At(int hour, int minute = 0) => Day.AddHours(hour).AddMinutes(minute);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data", "trips"));
        await File.WriteAllTextAsync(Path.Combine(_repo, "granary.yaml"), $$"""
            project: example_e2e
            registry: { type: memory, database: {{_database}} }
            offline_store: { type: csv_folder, batch_size: 2 }
            online_store: { type: memory, database: {{_database}} }
            """);
        await File.WriteAllTextAsync(Path.Combine(_repo, "features.yaml"), Features);
        await File.WriteAllTextAsync(Path.Combine(_repo, "data", "trips", "2021-04-12.csv"), Morning);
        await File.WriteAllTextAsync(Path.Combine(_repo, "data", "trips", "2021-04-12-corrections.csv"), Corrections);
        var builder = new FeatureStoreBuilder(FeatureRepo.LoadConfig(_repo))
        {
            TimeProvider = _time,
            Options = new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.Zero },
        };
        _store = builder.AddExampleBackend().Build();
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        MemoryDatabase.Open(_database).Stop();
        Directory.Delete(_repo, recursive: true);
    }

    private async Task<ApplyResult> ApplyAsync() => await Store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo, Store.SourceKinds));

    private async Task<string> TrainingCsvAsync(string entities)
    {
        var input = Path.Combine(_repo, $"entities-{Guid.NewGuid():N}.csv");
        var output = Path.Combine(_repo, $"training-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(input, entities);
        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityInput.FromFile(input), Features = Selected });
        await result.WriteAsync(output);
        return await File.ReadAllTextAsync(output);
    }

    private async Task<OnlineResponse> ServeAtAsync(DateTimeOffset now, params long[] drivers)
    {
        _time.SetUtcNow(now);
        return await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = Selected,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = drivers.Cast<object?>().ToArray() },
        });
    }

    [Fact]
    public void Build_RepoNamingTheExampleTypes_BuildsTheExampleStores()
    {
        Assert.IsType<CsvFolderOfflineStore>(Store.Offline);
        Assert.IsType<MemoryOnlineStore>(Store.Online);
        Assert.IsType<MemoryRegistry>(Store.Registry);
    }

    [Fact]
    public async Task Apply_ThenPlanAgain_RegistersEverythingOnceAndThenSeesNoChange()
    {
        var applied = await ApplyAsync();
        var again = await Store.PlanAsync(FeatureRepo.LoadDefinitions(_repo, Store.SourceKinds));

        Assert.Equal(1, applied.Version);
        Assert.Equal(["driver", "driver_stats", "trips"], applied.Diff.Created.Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.True(again.Diff.IsEmpty);
        var source = Assert.IsType<CsvFolderSource>(Assert.Single((await Store.GetSnapshotAsync()).Definitions.Sources));
        Assert.Equal("data/trips", source.Folder);
    }

    [Fact]
    public async Task GetHistoricalFeatures_HandWorkedRows_TakesTheLatestRowWithinTheTtl()
    {
        await ApplyAsync();

        var training = await TrainingCsvAsync("""
            driver_id,event_timestamp
            1001,2021-04-12T10:00:00Z
            1001,2021-04-12T08:30:00Z
            1002,2021-04-12T12:00:00Z
            1003,2021-04-12T08:00:00Z
            1004,2021-04-12T10:00:00Z
            """);

        // 1001 at 10:00: the two 09:00 rows tie on event time, the one created at 09:10 wins (0.625, 21);
        // at 08:30: the 08:00 row. 1002 at 12:00: its 09:30 row is 2h30 old, beyond the 2h ttl. 1003 at
        // 08:00: the 07:00 row, 1h old. 1004 has no rows.
        Assert.Equal(
            """
            driver_id,event_timestamp,conv_rate,trips
            1001,2021-04-12T10:00:00.000000Z,0.625,21
            1001,2021-04-12T08:30:00.000000Z,0.25,10
            1002,2021-04-12T12:00:00.000000Z,,
            1003,2021-04-12T08:00:00.000000Z,0.125,5
            1004,2021-04-12T10:00:00.000000Z,,

            """.ReplaceLineEndings("\n"),
            training);
    }

    [Fact]
    public async Task MaterializeThenServe_HandWorkedValuesAndStatuses_AgreeWithTraining()
    {
        await ApplyAsync();

        var first = await Store.MaterializeAsync(Day, At(10));
        var atTen = await ServeAtAsync(At(10), 1001, 1002, 1003, 1004);

        // Up to 10:00 the latest rows are 1001's 09:00 (created 09:10), 1002's 09:30 and 1003's 07:00.
        // At 10:00, 1003's row is 3h old: outside the 2h ttl.
        Assert.Equal(3, Assert.Single(first).Rows);
        Assert.Equal([0.625f, 0.75f, null, null], atTen["conv_rate"].Values);
        Assert.Equal([21L, 30L, null, null], atTen["trips"].Values);
        Assert.Equal([FeatureStatus.Present, FeatureStatus.Present, FeatureStatus.OutsideMaxAge, FeatureStatus.NotFound], atTen["conv_rate"].Statuses);
        Assert.Equal([At(9), At(9, 30), At(7), null], atTen["trips"].EventTimestamps);

        var second = await Store.MaterializeIncrementalAsync(At(12));
        var atNoon = await ServeAtAsync(At(12), 1001, 1002);

        // The increment after 10:00 holds 1001's 11:00 row only; at noon 1002's 09:30 row is 2h30 old.
        Assert.Equal(1, Assert.Single(second).Rows);
        Assert.Equal([1f, null], atNoon["conv_rate"].Values);
        Assert.Equal([FeatureStatus.Present, FeatureStatus.OutsideMaxAge], atNoon["trips"].Statuses);
        Assert.Equal(
            "driver_id,event_timestamp,conv_rate,trips\n1001,2021-04-12T12:00:00.000000Z,1,40\n1002,2021-04-12T12:00:00.000000Z,,\n",
            await TrainingCsvAsync("driver_id,event_timestamp\n1001,2021-04-12T12:00:00Z\n1002,2021-04-12T12:00:00Z\n"));
    }

    [Fact]
    public async Task Apply_BadValueInAFolderFile_FailsNamingFileAndLineAndRegistersNothing()
    {
        await File.AppendAllTextAsync(Path.Combine(_repo, "data", "trips", "2021-04-12.csv"), "\n1002,2021-04-12T10:00:00Z,2021-04-12T10:00:00Z,fast,31\n");

        var error = await Assert.ThrowsAsync<RepoValidationException>(ApplyAsync);

        Assert.Equal(
            ["features.yaml:5:1: csv_folder_source 'trips': data/trips/2021-04-12.csv:5: column 'conv_rate' is float32, but 'fast' is not"],
            error.Errors);
        Assert.Null(await Store.Registry.GetAsync(Store.Project));
    }

    [Fact]
    public async Task Build_OptionOutOfRangeOrUnknown_NamesGranaryYamlLineAndKey()
    {
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), """
            project: example_e2e
            registry: { type: memory, databse: x }
            offline_store: { type: csv_folder, batch_size: 0 }
            online_store: { type: memory }
            """);
        var builder = new FeatureStoreBuilder(FeatureRepo.LoadConfig(_repo)).AddExampleBackend();

        var error = Assert.Throws<RepoValidationException>(builder.Build);

        Assert.Equal(["granary.yaml:2:36: registry.databse: unknown key; expected one of: database"], error.Errors);
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), "project: p\nregistry: { type: memory }\noffline_store: { type: csv_folder, batch_size: 0 }\n");
        // The offline store is built on first use, so that a host that only serves needs no offline backend.
        var store = new FeatureStoreBuilder(FeatureRepo.LoadConfig(_repo)).AddExampleBackend().Build();
        var range = Assert.Throws<RepoValidationException>(() => store.Offline);
        Assert.Equal(["granary.yaml:3:48: offline_store.batch_size: must be from 1 to 1,048,576, not 0"], range.Errors);
        await store.DisposeAsync();
    }
}
