using Granary.Datasets;
using Granary.Definitions;
using Granary.Statistics;
using Granary.Registry;

namespace Granary.Conformance;

/// <summary>
/// The contract every registry passes unchanged. Each test uses its own project names; registries
/// made by <see cref="CreateRegistryAsync"/> within one test share storage, as separate machines do.
/// </summary>
public abstract partial class RegistryTests : IAsyncLifetime
{
    /// <summary>The time every registry of the suite reads from its clock.</summary>
    protected static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private readonly List<FeatureRegistry> _registries = [];
    private readonly string _prefix = "p" + Guid.NewGuid().ToString("N")[..8];
    private FeatureRegistry? _registry;

    /// <summary>The first registry of the test.</summary>
    protected FeatureRegistry Registry => _registry ?? throw new InvalidOperationException("not initialized");

    /// <summary>The source kinds every registry of the suite is given: the core's and <see cref="WarehouseSource"/>.</summary>
    protected static SourceKinds SourceKinds { get; } = new SourceKinds().Add(WarehouseSource.SourceKind);

    /// <summary>
    /// A new registry instance over this test's storage (a file, a database), storing the
    /// <paramref name="sourceKinds"/>: a second call must see what the first wrote, like another machine would.
    /// </summary>
    protected abstract Task<FeatureRegistry> CreateRegistryAsync(TimeProvider time, SourceKinds sourceKinds);

    /// <inheritdoc/>
    public virtual async Task InitializeAsync() => _registry = await NewRegistryAsync();

    /// <inheritdoc/>
    public virtual async Task DisposeAsync()
    {
        foreach (var registry in _registries)
        {
            await registry.DisposeAsync();
        }
    }

    private async Task<FeatureRegistry> NewRegistryAsync()
    {
        var registry = await CreateRegistryAsync(new FixedTime(Now), SourceKinds);
        _registries.Add(registry);
        return registry;
    }

    private string Project(string name) => $"{_prefix}_{name}";

    private static DefinitionSet WithEntities(params string[] names) =>
        new() { Entities = names.Select(n => new Entity { Name = n }).ToArray() };

    private static DefinitionSet WithViews(params string[] views) => new()
    {
        Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }],
        Sources = [new FileSource { Name = "stats", Path = "data/stats.parquet" }],
        FeatureViews = views.Select(v => new FeatureView
        {
            Name = v,
            Entities = ["driver"],
            Source = "stats",
            Schema = [new Field { Name = "conv_rate", Dtype = new DataType(ScalarType.Float32) }],
        }).ToArray(),
    };

    private static MaterializationInterval Interval(int startHour, int endHour) =>
        new(Now.AddHours(startHour), Now.AddHours(endHour), Now.AddHours(endHour).AddMinutes(1));

    [Fact]
    public async Task Get_NeverApplied_ReturnsNullAndVersionZero()
    {
        Assert.Null(await Registry.GetAsync(Project("absent")));
        Assert.Equal(0, await Registry.GetVersionAsync(Project("absent")));
    }

    [Fact]
    public async Task Apply_FirstThenSecond_VersionsOneAndTwoWithClockTime()
    {
        var project = Project("versions");

        var first = await Registry.ApplyAsync(project, WithEntities("a"), 0);
        var second = await Registry.ApplyAsync(project, WithEntities("a", "b"), 1);

        Assert.Equal((1L, 2L), (first.Version, second.Version));
        Assert.Equal(Now, second.UpdatedAt);
        var read = await Registry.GetAsync(project);
        Assert.Equal(2, read!.Version);
        Assert.Equal(project, read.Project);
        Assert.Equal(Now, read.UpdatedAt);
        Assert.Equal(["a", "b"], read.Definitions.Entities.Select(e => e.Name));
        Assert.Equal(2, await Registry.GetVersionAsync(project));
    }

    [Fact]
    public async Task Apply_StaleVersion_ThrowsConflictAndWritesNothing()
    {
        var project = Project("stale");
        await Registry.ApplyAsync(project, WithEntities("a"), 0);
        await Registry.ApplyAsync(project, WithEntities("b"), 1);

        await Assert.ThrowsAsync<RegistryConflictException>(() => Registry.ApplyAsync(project, WithEntities("stale"), 1));
        await Assert.ThrowsAsync<RegistryConflictException>(() => Registry.ApplyAsync(project, WithEntities("stale"), 0));
        await Assert.ThrowsAsync<RegistryConflictException>(() => Registry.ApplyAsync(Project("new"), WithEntities("stale"), 3));

        var read = await Registry.GetAsync(project);
        Assert.Equal(2, read!.Version);
        Assert.Equal(["b"], read.Definitions.Entities.Select(e => e.Name));
        Assert.Null(await Registry.GetAsync(Project("new")));
    }

    [Fact]
    public async Task Apply_ConcurrentFirstAppliesFromManyRegistries_ExactlyOneWins()
    {
        var project = Project("race");
        var registries = new List<FeatureRegistry>();
        for (var i = 0; i < 6; i++)
        {
            registries.Add(await NewRegistryAsync());
        }

        var start = new TaskCompletionSource();
        var attempts = registries.Select(async (registry, i) =>
        {
            await start.Task;
            try
            {
                await registry.ApplyAsync(project, WithEntities($"writer{i}"), 0);
                return true;
            }
            catch (RegistryConflictException)
            {
                return false;
            }
        }).ToArray();
        start.SetResult();
        var won = await Task.WhenAll(attempts);

        Assert.Equal(1, won.Count(w => w));
        var read = await Registry.GetAsync(project);
        Assert.Equal(1, read!.Version);
        Assert.Equal([$"writer{Array.IndexOf(won, true)}"], read.Definitions.Entities.Select(e => e.Name));
    }

    [Fact]
    public async Task Apply_ConcurrentReadModifyWriteFromManyRegistries_NoUpdateIsLost()
    {
        // Each writer adds its own entity to what it read and retries on conflict; with no lost
        // update the final version is 1 (the seed) + one per writer and holds every entity.
        const int writers = 6;
        var project = Project("lost_update");
        await Registry.ApplyAsync(project, WithEntities("seed"), 0);
        var registries = new List<FeatureRegistry>();
        for (var i = 0; i < writers; i++)
        {
            registries.Add(await NewRegistryAsync());
        }

        var start = new TaskCompletionSource();
        var versions = registries.Select(async (registry, i) =>
        {
            await start.Task;
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var current = (await registry.GetAsync(project))!;
                var next = current.Definitions with { Entities = [.. current.Definitions.Entities, new Entity { Name = $"writer{i}" }] };
                try
                {
                    return (await registry.ApplyAsync(project, next, current.Version)).Version;
                }
                catch (RegistryConflictException)
                {
                    await Task.Yield();
                }
            }

            throw new InvalidOperationException($"writer {i} never won");
        }).ToArray();
        start.SetResult();
        var won = await Task.WhenAll(versions);

        Assert.Equal(Enumerable.Range(2, writers).Select(v => (long)v), won.Order());
        var read = await Registry.GetAsync(project);
        Assert.Equal(1 + writers, read!.Version);
        Assert.Equal(
            new[] { "seed" }.Concat(Enumerable.Range(0, writers).Select(i => $"writer{i}")).Order(StringComparer.Ordinal),
            read.Definitions.Entities.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Get_WhileAnotherRegistryApplies_SeesWholeVersionsOnly()
    {
        // Version n holds exactly the entities v1..vn; a reader must never see another combination.
        var project = Project("whole");
        var writer = await NewRegistryAsync();
        var reader = await NewRegistryAsync();
        await writer.ApplyAsync(project, WithEntities("v1"), 0);
        var writing = Task.Run(async () =>
        {
            for (var v = 2; v <= 15; v++)
            {
                await writer.ApplyAsync(project, WithEntities(Enumerable.Range(1, v).Select(i => $"v{i}").ToArray()), v - 1);
            }
        });

        var reads = 0;
        while (!writing.IsCompleted || reads == 0)
        {
            var snapshot = (await reader.GetAsync(project))!;
            Assert.Equal(Enumerable.Range(1, (int)snapshot.Version).Select(i => $"v{i}"), snapshot.Definitions.Entities.Select(e => e.Name));
            reads++;
        }

        await writing;
        Assert.Equal(15, (await reader.GetAsync(project))!.Version);
    }

    [Fact]
    public async Task Apply_ViewRemoved_KeepsIntervalsOfRemainingViewsAndDropsOthers()
    {
        var project = Project("intervals");
        await Registry.ApplyAsync(project, WithViews("kept", "dropped"), 0);
        await Registry.RecordMaterializationAsync(project, "kept", Interval(0, 1));
        await Registry.RecordMaterializationAsync(project, "dropped", Interval(0, 2));
        await Registry.RecordMaterializationAsync(project, "kept", Interval(1, 3));

        var applied = await Registry.ApplyAsync(project, WithViews("kept", "added"), 1);

        var read = await Registry.GetAsync(project);
        foreach (var snapshot in new[] { applied, read! })
        {
            Assert.Equal([Interval(0, 1), Interval(1, 3)], snapshot.Materializations["kept"]);
            Assert.False(snapshot.Materializations.ContainsKey("dropped"));
            Assert.Equal(Now.AddHours(3), snapshot.LastMaterializedEnd("kept"));
            Assert.Null(snapshot.LastMaterializedEnd("added"));
        }

        // A view that comes back starts without history.
        await Registry.ApplyAsync(project, WithViews("kept", "dropped"), 2);
        Assert.Null((await Registry.GetAsync(project))!.LastMaterializedEnd("dropped"));
    }

    [Fact]
    public async Task ResetMaterializations_NamedViews_ForgetsTheirIntervalsOnly()
    {
        var project = Project("reset");
        await Registry.ApplyAsync(project, WithViews("rebuilt", "untouched"), 0);
        await Registry.RecordMaterializationAsync(project, "rebuilt", Interval(0, 1));
        await Registry.RecordMaterializationAsync(project, "untouched", Interval(0, 2));

        await Registry.ResetMaterializationsAsync(project, ["rebuilt"]);

        var read = (await Registry.GetAsync(project))!;
        Assert.Null(read.LastMaterializedEnd("rebuilt"));
        Assert.Equal(Now.AddHours(2), read.LastMaterializedEnd("untouched"));
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task RecordMaterialization_UnknownProject_Throws()
    {
        await Assert.ThrowsAnyAsync<GranaryException>(() => Registry.RecordMaterializationAsync(Project("unknown"), "view", Interval(0, 1)));
    }

    [Fact]
    public async Task DeleteProject_Existing_RemovesItAndItsIntervalsOnly()
    {
        var doomed = Project("doomed");
        var other = Project("other");
        await Registry.ApplyAsync(doomed, WithViews("v"), 0);
        await Registry.RecordMaterializationAsync(doomed, "v", Interval(0, 1));
        await Registry.ApplyAsync(other, WithViews("v"), 0);
        await Registry.RecordMaterializationAsync(other, "v", Interval(0, 2));

        Assert.True(await Registry.DeleteProjectAsync(doomed));
        Assert.False(await Registry.DeleteProjectAsync(doomed));

        Assert.Null(await Registry.GetAsync(doomed));
        Assert.DoesNotContain(doomed, await Registry.ListProjectsAsync());
        Assert.Equal([Interval(0, 2)], (await Registry.GetAsync(other))!.Materializations["v"]);

        // Applied again, the project starts over at version 1 without the old intervals.
        var again = await Registry.ApplyAsync(doomed, WithViews("v"), 0);
        Assert.Equal(1, again.Version);
        Assert.Empty(again.Materializations);
    }

    [Fact]
    public async Task ListProjects_SeveralProjects_InOrdinalOrder()
    {
        string[] names = [Project("b"), Project("B"), Project("a_2"), Project("a")];
        foreach (var name in names)
        {
            await Registry.ApplyAsync(name, WithEntities("e"), 0);
        }

        var listed = (await Registry.ListProjectsAsync()).Where(p => p.StartsWith(_prefix, StringComparison.Ordinal));

        Assert.Equal([Project("B"), Project("a"), Project("a_2"), Project("b")], listed);
    }

    [Fact]
    public async Task Get_EveryDefinitionKind_RoundTripsWithMetadata()
    {
        var project = Project("round_trip");
        var tags = new Dictionary<string, string> { ["team"] = "pricing", ["tier"] = "1" };
        var set = new DefinitionSet
        {
            Entities =
            [
                new Entity { Name = "driver", JoinKeys = ["driver_id"], Description = "a driver", Owner = "ml@example.com", Tags = tags },
                new Entity { Name = "user", JoinKeys = ["user_id", "region"], ValueType = DataType.String },
            ],
            Sources =
            [
                new FileSource
                {
                    Name = "trips", Path = "data/trips.parquet", TimestampField = "ts", CreatedTimestampColumn = "created",
                    FieldMapping = new Dictionary<string, string> { ["drv"] = "driver_id" }, Owner = "data@example.com",
                },
                new WarehouseSource { Name = "users", Table = "public.users", Description = "users table" },
                new WarehouseSource { Name = "orders", Query = "SELECT * FROM orders WHERE amount > 0" },
                new PushSource { Name = "trips_push", BatchSource = "trips", Tags = tags },
            ],
            RequestSources =
            [
                new RequestSource { Name = "request", Schema = [new Field { Name = "amount", Dtype = DataType.Float64, Description = "in EUR" }] },
            ],
            FeatureViews =
            [
                new FeatureView
                {
                    Name = "driver_stats", Entities = ["driver"], Source = "trips_push", Ttl = TimeSpan.FromHours(36), Online = false,
                    Schema =
                    [
                        new Field { Name = "conv_rate", Dtype = new DataType(ScalarType.Float32), Description = "conversion" },
                        new Field { Name = "recent_ids", Dtype = new DataType(ScalarType.Int64, IsList: true) },
                    ],
                    Description = "stats", Owner = "ml@example.com", Tags = tags,
                },
            ],
            OnDemandFeatureViews =
            [
                new OnDemandFeatureView
                {
                    Name = "adjusted", Sources = ["driver_stats", "request"], WriteToOnlineStore = true,
                    Schema = [new Field { Name = "adj", Dtype = DataType.Float64, Expression = "conv_rate * amount" }],
                    Constants = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["rates"] = new Dictionary<string, string> { ["a"] = "1.5" } },
                },
            ],
            FeatureServices =
            [
                new FeatureService
                {
                    Name = "model_v1", Features = [new FeatureProjection("driver_stats", ["conv_rate"]), new FeatureProjection("adjusted")],
                    Tags = tags, Description = "for the model",
                },
            ],
        };

        await Registry.ApplyAsync(project, set, 0);
        var read = (await (await NewRegistryAsync()).GetAsync(project))!.Definitions;

        Assert.Equal(RegistryJson.Serialize(set, SourceKinds), RegistryJson.Serialize(read, SourceKinds));
        Assert.Equal(["driver_id"], read.Entities[0].JoinKeys);
        Assert.Equal(["user_id", "region"], read.Entities[1].JoinKeys);
        Assert.Equal(DataType.String, read.Entities[1].ValueType);
        Assert.Equal(("a driver", "ml@example.com"), (read.Entities[0].Description, read.Entities[0].Owner));
        Assert.Equal(tags, read.Entities[0].Tags);
        var trips = Assert.IsType<FileSource>(read.Sources[0]);
        Assert.Equal(("data/trips.parquet", "ts", "created"), (trips.Path, trips.TimestampField, trips.CreatedTimestampColumn));
        Assert.Equal("driver_id", trips.FieldMapping["drv"]);
        Assert.Equal("public.users", Assert.IsType<WarehouseSource>(read.Sources[1]).Table);
        Assert.Equal("SELECT * FROM orders WHERE amount > 0", Assert.IsType<WarehouseSource>(read.Sources[2]).Query);
        Assert.Equal("trips", Assert.IsType<PushSource>(read.Sources[3]).BatchSource);
        Assert.Equal("in EUR", read.RequestSources[0].Schema[0].Description);
        var view = read.FeatureViews[0];
        Assert.Equal((TimeSpan.FromHours(36), false, "trips_push"), (view.Ttl, view.Online, view.Source));
        Assert.Equal(new DataType(ScalarType.Int64, IsList: true), view.Schema[1].Dtype);
        Assert.Equal(tags, view.Tags);
        var odfv = read.OnDemandFeatureViews[0];
        Assert.Equal(("conv_rate * amount", true), (odfv.Schema[0].Expression, odfv.WriteToOnlineStore));
        Assert.Equal("1.5", odfv.Constants["rates"]["a"]);
        Assert.Equal(["conv_rate"], read.FeatureServices[0].Features[0].Features);
        Assert.Null(read.FeatureServices[0].Features[1].Features);
    }

    private static SavedDataset Dataset(string name) => new()
    {
        Name = name,
        CreatedAt = Now.AddMinutes(5),
        RegistryVersion = 1,
        Features = ["driver_stats:conv_rate", "driver_stats:trips"],
        FeatureService = "model_v1",
        Entities = new DatasetEntities { Kind = DatasetEntities.FileKind, Path = "data/orders.parquet", Sha256 = new string('a', 64), TimestampColumn = "ordered_at" },
        Path = $"data/datasets/{name}/data.parquet",
        Columns = ["driver_id", "ordered_at", "driver_stats__conv_rate", "driver_stats__trips"],
        Rows = 40,
        Sha256 = new string('b', 64),
        EventTimeStart = Now.AddDays(-7),
        EventTimeEnd = Now,
        Profile =
        [
            new FeatureStatistics
            {
                Feature = "driver_stats__conv_rate", Kind = FeatureStatistics.NumericKind, Count = 40, Nulls = 2, Distinct = 31, Min = 0.1, Max = 0.9,
                Mean = 0.5, Stddev = 0.2, Quantiles = new Dictionary<string, double> { ["p50"] = 0.45 }, Histogram = new Histogram([0.1, 0.5, 0.9], [10, 28]),
            },
            new FeatureStatistics { Feature = "driver_stats__tier", Kind = FeatureStatistics.CategoricalKind, Count = 40, Nulls = 0, Distinct = 2, Top = [new TopValue("gold", 30), new TopValue("silver", 10)] },
        ],
    };

    [Fact]
    public async Task SaveDataset_ThenGetFromAnotherRegistry_RoundTripsEveryManifestField()
    {
        var project = Project("datasets");
        await Registry.ApplyAsync(project, WithViews("driver_stats"), 0);

        await Registry.SaveDatasetAsync(project, Dataset("training_v1"));
        var read = (await (await NewRegistryAsync()).GetDatasetAsync(project, "training_v1"))!;

        Assert.Equal(RegistryJson.Serialize(Dataset("training_v1")), RegistryJson.Serialize(read));
        Assert.Equal((Now.AddMinutes(5), 40L, "ordered_at"), (read.CreatedAt, read.Rows, read.Entities.TimestampColumn));
        Assert.Equal(new Histogram([0.1, 0.5, 0.9], [10, 28]).Counts, read.Profile[0].Histogram!.Counts);
        Assert.Equal([new TopValue("gold", 30), new TopValue("silver", 10)], read.Profile[1].Top);
        Assert.Null(await Registry.GetDatasetAsync(project, "absent"));
    }

    [Fact]
    public async Task SaveDataset_NameTaken_ThrowsAndKeepsTheFirst()
    {
        var project = Project("taken");
        await Registry.ApplyAsync(project, WithViews("driver_stats"), 0);
        await Registry.SaveDatasetAsync(project, Dataset("v1"));

        var error = await Assert.ThrowsAnyAsync<GranaryException>(() => Registry.SaveDatasetAsync(project, Dataset("v1") with { Rows = 1 }));

        Assert.Contains("already has a dataset 'v1'", error.Message, StringComparison.Ordinal);
        Assert.Equal(40, (await Registry.GetDatasetAsync(project, "v1"))!.Rows);
    }

    [Fact]
    public async Task SaveDataset_ProjectNeverApplied_Throws()
    {
        await Assert.ThrowsAnyAsync<GranaryException>(() => Registry.SaveDatasetAsync(Project("never"), Dataset("v1")));

        Assert.Empty(await Registry.ListDatasetsAsync(Project("never")));
    }

    [Fact]
    public async Task ListDatasets_SeveralProjects_OnlyTheProjectsInOrdinalOrder()
    {
        var project = Project("listed");
        var other = Project("other_listed");
        await Registry.ApplyAsync(project, WithViews("driver_stats"), 0);
        await Registry.ApplyAsync(other, WithViews("driver_stats"), 0);
        foreach (var name in new[] { "b", "B", "a_2", "a" })
        {
            await Registry.SaveDatasetAsync(project, Dataset(name));
        }

        await Registry.SaveDatasetAsync(other, Dataset("elsewhere"));

        Assert.Equal(["B", "a", "a_2", "b"], (await Registry.ListDatasetsAsync(project)).Select(d => d.Name));
    }

    [Fact]
    public async Task DeleteDataset_Existing_RemovesOnlyIt()
    {
        var project = Project("delete_dataset");
        await Registry.ApplyAsync(project, WithViews("driver_stats"), 0);
        await Registry.SaveDatasetAsync(project, Dataset("doomed"));
        await Registry.SaveDatasetAsync(project, Dataset("kept"));

        Assert.True(await Registry.DeleteDatasetAsync(project, "doomed"));
        Assert.False(await Registry.DeleteDatasetAsync(project, "doomed"));

        Assert.Equal(["kept"], (await Registry.ListDatasetsAsync(project)).Select(d => d.Name));
        // The name is free again.
        await Registry.SaveDatasetAsync(project, Dataset("doomed"));
    }

    [Fact]
    public async Task Datasets_OutliveAppliesAndGoWithTheProject()
    {
        var project = Project("lifetime");
        await Registry.ApplyAsync(project, WithViews("driver_stats"), 0);
        await Registry.SaveDatasetAsync(project, Dataset("v1"));

        await Registry.ApplyAsync(project, WithViews("other_view"), 1);
        Assert.NotNull(await Registry.GetDatasetAsync(project, "v1"));

        await Registry.DeleteProjectAsync(project);
        await Registry.ApplyAsync(project, WithViews("driver_stats"), 0);
        Assert.Empty(await Registry.ListDatasetsAsync(project));
    }

    /// <summary>A clock that always reads the same instant.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
