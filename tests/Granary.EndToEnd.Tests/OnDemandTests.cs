using Granary.Conformance;
using Granary.DuckDb;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Granary.EndToEnd.Tests;

/// <summary>
/// On-demand features from a YAML repo, computed in training data and in online reads by the same
/// engine: hand-worked values, chained views, request fields, lookups, event and request time, and
/// a property test that the two paths agree bit for bit.
/// </summary>
public sealed class OnDemandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2021, 4, 12, 10, 0, 0, TimeSpan.Zero);

    private const string Repo = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: file_source
        name: stats
        path: stats.csv
        ---
        kind: feature_view
        name: driver_hourly_stats
        entities: [driver]
        source: stats
        ttl: 2h
        schema:
          - { name: conv_rate, dtype: float64 }
          - { name: price, dtype: float64 }
        ---
        kind: request_source
        name: trip_request
        schema:
          - { name: val_to_add, dtype: int64 }
          - { name: currency, dtype: string }
        ---
        kind: on_demand_feature_view
        name: driver_adjusted
        sources: [driver_hourly_stats, trip_request]
        schema:
          - { name: conv_rate_plus_val, dtype: float64, expression: "conv_rate + val_to_add" }
          - { name: price_usd, dtype: float64, expression: "price * lookup(fx_to_usd, currency)" }
          - { name: age_s, dtype: float64, expression: "seconds_between(event_time, request_time)" }
        constants:
          fx_to_usd: { USD: 1.0, SEK: 0.094, EUR: 1.08 }
        ---
        kind: on_demand_feature_view
        name: driver_score
        sources: [driver_adjusted]
        schema:
          - { name: score, dtype: float64, expression: "if(price_usd > 5, conv_rate_plus_val * 2, 0.0)" }
        ---
        kind: on_demand_feature_view
        name: driver_value
        sources: [driver_hourly_stats]
        write_to_online_store: true
        schema:
          - { name: value_score, dtype: float64, expression: "conv_rate * price" }
          - { name: fresh, dtype: bool, expression: "seconds_between(event_time, event_time) == 0" }
        ---
        kind: on_demand_feature_view
        name: staleness
        sources: [driver_hourly_stats]
        schema:
          - { name: age_only, dtype: float64, expression: "seconds_between(event_time, request_time)" }
        ---
        kind: on_demand_feature_view
        name: request_only
        sources: [trip_request]
        schema:
          - { name: doubled_val, dtype: int64, expression: "val_to_add * 2" }
        ---
        kind: feature_service
        name: ranking
        features: [driver_hourly_stats, driver_adjusted, driver_score]
        """;

    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-odfv-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(T);
    private FeatureStore? _store;

    private FeatureStore Store => _store ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_repo);
        await File.WriteAllTextAsync(Path.Combine(_repo, "granary.yaml"), "project: odfv\n");
        await File.WriteAllTextAsync(Path.Combine(_repo, "features.yaml"), Repo);
        await WriteStatsAsync(TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float64"), ("price", "float64")],
            [1001L, T.AddHours(-1), 0.5, 10.0],
            [1002L, T.AddHours(-1), 0.25, 20.0]));
        _store = NewStore();
        await Store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo));
    }

    private FeatureStore NewStore(Granary.Transformations.TransformationCatalog? transformations = null) => new(
        FeatureRepo.LoadConfig(_repo),
        new FileRegistry(Path.Combine(_repo, "registry.json"), _time),
        new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = _repo }),
        new Lazy<OnlineStore>(() => new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(_repo, "online.db") })),
        _time,
        options: new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.Zero, Transformations = transformations });

    private Task WriteStatsAsync(TestTable table) => File.WriteAllTextAsync(Path.Combine(_repo, "stats.csv"), table.ToCsv());

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_repo, recursive: true);
    }

    private async Task<List<Dictionary<string, object?>>> TrainingAsync(string csv)
    {
        var path = Path.Combine(_repo, $"entities-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv);
        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityInput.FromFile(path), FeatureService = "ranking" });
        return await ResultRows.ReadAllAsync(result);
    }

    private Task<OnlineResponse> ServingAsync(long[] drivers, long[] values, string[] currencies) =>
        Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            FeatureService = "ranking",
            Entities = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["driver_id"] = drivers.Cast<object?>().ToArray(),
                ["val_to_add"] = values.Cast<object?>().ToArray(),
                ["currency"] = currencies,
            },
        });

    [Fact]
    public async Task Training_HandWorkedValues_ForEveryOnDemandFeature()
    {
        var rows = await TrainingAsync("""
            driver_id,event_timestamp,val_to_add,currency
            1001,2021-04-12T10:00:00Z,2,SEK
            1002,2021-04-12T10:00:00Z,1,EUR
            1003,2021-04-12T10:00:00Z,5,USD
            1001,2021-04-12T10:00:00Z,3,JPY

            """);

        Assert.Equal(["driver_id", "event_timestamp", "val_to_add", "currency", "conv_rate", "price", "conv_rate_plus_val", "price_usd", "age_s", "score"], rows[0].Keys);
        Assert.Equal([0.5 + 2, 0.25 + 1, null, 0.5 + 3], rows.Select(r => r["conv_rate_plus_val"]));
        Assert.Equal([10.0 * 0.094, 20.0 * 1.08, null, null], rows.Select(r => r["price_usd"]));
        Assert.Equal([3600.0, 3600.0, null, 3600.0], rows.Select(r => r["age_s"]));
        // if() with a null condition takes the else branch.
        Assert.Equal([0.0, (0.25 + 1) * 2, 0.0, 0.0], rows.Select(r => r["score"]));
    }

    [Fact]
    public async Task Serving_SameEntitiesAtSameTime_GivesTheTrainingValues()
    {
        await Store.MaterializeAsync(T.AddDays(-1), T);

        var response = await ServingAsync([1001, 1002, 1003, 1001], [2, 1, 5, 3], ["SEK", "EUR", "USD", "JPY"]);

        Assert.Equal([0.5 + 2, 0.25 + 1, null, 0.5 + 3], response["conv_rate_plus_val"].Values);
        Assert.Equal([10.0 * 0.094, 20.0 * 1.08, null, null], response["price_usd"].Values);
        Assert.Equal([3600.0, 3600.0, null, 3600.0], response["age_s"].Values);
        Assert.Equal([0.0, (0.25 + 1) * 2, 0.0, 0.0], response["score"].Values);
        Assert.Equal([FeatureStatus.Present, FeatureStatus.Present, FeatureStatus.NullValue, FeatureStatus.NullValue], response["price_usd"].Statuses);
    }

    [Fact]
    public async Task EventTimeOnlyAndRequestOnlyViews_WithoutTheirSourcesSelected_AgreeInBothPaths()
    {
        await Store.MaterializeAsync(T.AddDays(-1), T);
        string[] features = ["staleness:age_only", "request_only:doubled_val"];
        var path = Path.Combine(_repo, "only.csv");
        await File.WriteAllTextAsync(path, "driver_id,event_timestamp,val_to_add,currency\n1001,2021-04-12T10:00:00Z,2,SEK\n1003,2021-04-12T10:00:00Z,5,USD\n");

        await using (var result = await Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityInput.FromFile(path), Features = features }))
        {
            var training = await ResultRows.ReadAllAsync(result);
            Assert.Equal([3600.0, null], training.Select(r => r["age_only"]));
            Assert.Equal([4L, 10L], training.Select(r => r["doubled_val"]));
        }

        var only = await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = features,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1003L], ["val_to_add"] = [2L, 5L] },
        });
        Assert.Equal([3600.0, null], only["age_only"].Values);
        Assert.Equal([4L, 10L], only["doubled_val"].Values);
    }

    [Fact]
    public async Task Training_OnDemandOutputNamedLikeAnEntityColumn_FailsNamingIt()
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => TrainingAsync(
            "driver_id,event_timestamp,val_to_add,currency,score\n1001,2021-04-12T10:00:00Z,2,SEK,1\n"));

        Assert.Contains("feature 'score' of view 'driver_score' has the name of an entity row column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serving_MissingRequestField_FailsNamingIt()
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_adjusted:price_usd"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L], ["val_to_add"] = [1L] },
        }));

        Assert.Contains("request field 'currency'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Training_MissingRequestField_FailsNamingIt()
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => TrainingAsync("driver_id,event_timestamp,val_to_add\n1001,2021-04-12T10:00:00Z,2\n"));

        Assert.Contains("'currency'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serving_RequestFieldAsCliText_IsConvertedToItsType()
    {
        await Store.MaterializeAsync(T.AddDays(-1), T);

        var response = await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_adjusted:conv_rate_plus_val"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = ["1001"], ["val_to_add"] = ["4"], ["currency"] = ["USD"] },
        });

        Assert.Equal(4.5, response["conv_rate_plus_val"].Values[0]);
    }

    [Fact]
    public async Task WriteToOnlineStore_ComputedAtMaterialize_ServedFromStoreAndEqualToTraining()
    {
        await Store.MaterializeAsync(T.AddDays(-1), T);

        var valueScore = new Granary.Definitions.Field { Name = "value_score", Dtype = Granary.Definitions.DataType.Float64 };
        var definitions = (await Store.GetSnapshotAsync()).Definitions;
        var storedView = StoredOnDemandView.StorageOf(definitions, definitions.FindOnDemandFeatureView("driver_value")!);
        var stored = await Store.Online.ReadAsync(
            Store.Project,
            [new OnlineViewRead(storedView, [valueScore])],
            [new EntityKey(["driver_id"], [1001L]), new EntityKey(["driver_id"], [1002L])]);
        var serving = await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_value:value_score", "driver_value:fresh"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1002L, 1003L] },
        });
        var path = Path.Combine(_repo, "entities.csv");
        await File.WriteAllTextAsync(path, "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1002,2021-04-12T10:00:00Z\n1003,2021-04-12T10:00:00Z\n");
        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityInput.FromFile(path),
            Features = ["driver_value:value_score", "driver_value:fresh"],
        });
        var training = await ResultRows.ReadAllAsync(result);

        // The rows were computed when materialized, and carry their source row's event time.
        Assert.Equal([0.5 * 10.0, 0.25 * 20.0], stored[0].Select(r => r!.Values[0]));
        Assert.Equal([T.AddHours(-1), T.AddHours(-1)], stored[0].Select(r => r!.EventTimestamp));
        Assert.Equal([0.5 * 10.0, 0.25 * 20.0, null], serving["value_score"].Values);
        Assert.Equal([FeatureStatus.Present, FeatureStatus.Present, FeatureStatus.NotFound], serving["value_score"].Statuses);
        Assert.Equal(training.Select(r => r["value_score"]), serving["value_score"].Values);
        Assert.Equal([true, true, null], training.Select(r => r["fresh"]));
        Assert.Equal(training.Select(r => r["fresh"]), serving["fresh"].Values);
    }

    [Fact]
    public async Task WriteToOnlineStore_RowsWrittenAtServingTime_RecomputeTheStoredView()
    {
        await Store.MaterializeAsync(T.AddDays(-1), T);

        await Store.WriteToOnlineStoreAsync("driver_hourly_stats", new Dictionary<string, IReadOnlyList<object?>>
        {
            ["driver_id"] = [1001L],
            ["event_timestamp"] = ["2021-04-12T09:30:00Z"],
            ["conv_rate"] = [0.75],
            ["price"] = [4.0],
        });

        var serving = await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_value:value_score"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1002L] },
        });
        Assert.Equal([0.75 * 4.0, 0.25 * 20.0], serving["value_score"].Values);
        Assert.Equal(T.AddMinutes(-30), serving["value_score"].EventTimestamps[0]);
    }

    [Fact]
    public async Task WriteToOnlineStore_ExpressionChanged_ServesNoOldResultsAndReloadsFromTheStart()
    {
        await Store.MaterializeIncrementalAsync(T);
        var changed = File.ReadAllText(Path.Combine(_repo, "features.yaml")).Replace("\"conv_rate * price\"", "\"conv_rate * price * 2\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_repo, "features.yaml"), changed);

        await Store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo));
        var before = await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_value:value_score"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L] },
        });
        var snapshot = await Store.GetSnapshotAsync();
        await Store.MaterializeIncrementalAsync(T);
        var after = await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_value:value_score"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L] },
        });

        // The old result (5.0) is never served; the source view's history was forgotten, so the
        // next incremental run reloads it and computes the new expression.
        Assert.Equal(FeatureStatus.NotFound, before["value_score"].Statuses[0]);
        Assert.Null(snapshot.LastMaterializedEnd("driver_hourly_stats"));
        Assert.Equal(0.5 * 10.0 * 2, after["value_score"].Values[0]);
    }

    [Fact]
    public void WriteToOnlineStore_WithRequestSource_IsRejectedAtApply()
    {
        File.WriteAllText(Path.Combine(_repo, "bad.yaml"), """
            kind: on_demand_feature_view
            name: bad_written
            sources: [driver_hourly_stats, trip_request]
            write_to_online_store: true
            schema:
              - { name: x, dtype: float64, expression: "conv_rate + val_to_add" }
            """);

        var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadDefinitions(_repo));

        Assert.Contains(error.Errors, e => e.StartsWith("bad.yaml:1:1: on_demand_feature_view 'bad_written': write_to_online_store: true needs feature views as its only sources", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CSharpFunction_RegisteredInCatalog_ServesTrainingAndServingAlike()
    {
        await using var store = NewStore(new Granary.Transformations.TransformationCatalog()
            .Register("driver_fn", "doubled", row => row.GetDouble("conv_rate") * 2));
        var definitions = FeatureRepo.LoadDefinitions(_repo);
        await store.ApplyAsync(definitions with
        {
            OnDemandFeatureViews =
            [
                .. definitions.OnDemandFeatureViews,
                new Granary.Definitions.OnDemandFeatureView
                {
                    Name = "driver_fn",
                    Sources = ["driver_hourly_stats"],
                    Schema = [new Granary.Definitions.Field { Name = "doubled", Dtype = Granary.Definitions.DataType.Float64 }],
                },
            ],
        });
        await store.MaterializeAsync(T.AddDays(-1), T);
        var path = Path.Combine(_repo, "fn-entities.csv");
        await File.WriteAllTextAsync(path, "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1002,2021-04-12T10:00:00Z\n");

        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityInput.FromFile(path), Features = ["driver_fn:doubled"] });
        var training = await ResultRows.ReadAllAsync(result);
        var serving = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_fn:doubled"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1002L] },
        });

        Assert.Equal([1.0, 0.5], training.Select(r => r["doubled"]));
        Assert.Equal([1.0, 0.5], serving["doubled"].Values);
    }

    [Fact]
    public async Task RandomValues_ServingEqualsTraining_BitForBit()
    {
        var random = new Random(20211412);
        var drivers = Enumerable.Range(1, 200).Select(i => 5000L + i).ToArray();
        var stats = drivers.Select(d => new object?[]
        {
            d,
            T.AddMinutes(-random.Next(0, 180)),
            random.Next(10) == 0 ? null : (random.NextDouble() * 2) - 0.5,
            random.Next(10) == 0 ? null : random.NextDouble() * 1000,
        }).ToArray();
        await WriteStatsAsync(new TestTable(
            [("driver_id", Granary.Definitions.DataType.Int64), ("event_timestamp", Granary.Definitions.DataType.Parse("unix_timestamp")),
             ("conv_rate", Granary.Definitions.DataType.Float64), ("price", Granary.Definitions.DataType.Float64)], stats));
        await Store.MaterializeAsync(T.AddDays(-1), T);
        string[] currencies = ["USD", "SEK", "EUR", "GBP"];
        var values = drivers.Select(_ => (long)random.Next(-1000, 1000)).ToArray();
        var chosen = drivers.Select(_ => currencies[random.Next(currencies.Length)]).ToArray();

        var csv = "driver_id,event_timestamp,val_to_add,currency\n" + string.Concat(drivers.Select((d, i) => $"{d},2021-04-12T10:00:00Z,{values[i]},{chosen[i]}\n"));
        var training = await TrainingAsync(csv);
        var serving = await ServingAsync(drivers, values, chosen);

        foreach (var name in new[] { "conv_rate_plus_val", "price_usd", "age_s", "score" })
        {
            for (var i = 0; i < drivers.Length; i++)
            {
                var offline = (double?)training[i][name];
                var online = (double?)serving[name].Values[i];
                Assert.True(
                    offline.HasValue == online.HasValue && (!offline.HasValue || BitConverter.DoubleToInt64Bits(offline.Value) == BitConverter.DoubleToInt64Bits(online!.Value)),
                    $"{name} of driver {drivers[i]}: training {offline?.ToString("R") ?? "null"}, serving {online?.ToString("R") ?? "null"}");
            }
        }
    }
}
