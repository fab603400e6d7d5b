using Granary.Definitions;
using Granary.Registry;
using Granary.Repo;

namespace Granary.Tests.Repo;

public sealed class FeatureRepoTests
{
    private const string DriverRepo = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        value_type: int64
        description: a driver
        ---
        kind: file_source
        name: driver_stats
        path: data/driver_stats.parquet
        timestamp_field: event_timestamp
        created_timestamp_column: created
        field_mapping: { conv: conv_rate }
        ---
        kind: feature_view
        name: driver_hourly_stats
        entities: [driver]
        source: driver_stats
        ttl: 1d12h
        online: true
        schema:
          - { name: conv_rate, dtype: float32 }
          - { name: trips, dtype: int64_list }
        tags: { team: drivers }
        owner: me@example.com
        ---
        kind: feature_service
        name: driver_activity
        features:
          - driver_hourly_stats
          - driver_hourly_stats: [conv_rate]
        """;

    [Fact]
    public void LoadDefinitions_DriverRepo_EqualsTheSameSetBuiltInCSharp()
    {
        using var repo = new TempRepo().Write("features.yaml", DriverRepo);

        var loaded = FeatureRepo.LoadDefinitions(repo.Path);

        var built = new DefinitionSet
        {
            Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"], ValueType = DataType.Int64, Description = "a driver" }],
            Sources =
            [
                new FileSource
                {
                    Name = "driver_stats",
                    Path = "data/driver_stats.parquet",
                    TimestampField = "event_timestamp",
                    CreatedTimestampColumn = "created",
                    FieldMapping = new Dictionary<string, string> { ["conv"] = "conv_rate" },
                },
            ],
            FeatureViews =
            [
                new FeatureView
                {
                    Name = "driver_hourly_stats",
                    Entities = ["driver"],
                    Source = "driver_stats",
                    Ttl = TimeSpan.FromHours(36),
                    Online = true,
                    Schema =
                    [
                        new Field { Name = "conv_rate", Dtype = new DataType(ScalarType.Float32) },
                        new Field { Name = "trips", Dtype = new DataType(ScalarType.Int64, IsList: true) },
                    ],
                    Tags = new Dictionary<string, string> { ["team"] = "drivers" },
                    Owner = "me@example.com",
                },
            ],
            FeatureServices =
            [
                new FeatureService
                {
                    Name = "driver_activity",
                    Features = [new FeatureProjection("driver_hourly_stats"), new FeatureProjection("driver_hourly_stats", ["conv_rate"])],
                },
            ],
        };
        Assert.Equal(RegistryJson.Serialize(built), RegistryJson.Serialize(loaded));
        Assert.Equal(new SourceLocation("features.yaml", 14, 1), loaded.LocationOf(loaded.FeatureViews[0]));
    }

    [Fact]
    public void LoadDefinitions_EntityWithoutJoinKeys_DefaultsToItsName()
    {
        using var repo = new TempRepo().Write("e.yml", "kind: entity\nname: customer\n");

        var set = FeatureRepo.LoadDefinitions(repo.Path);

        Assert.Equal(["customer"], set.Entities.Single().JoinKeys);
        Assert.Equal(DataType.Int64, set.Entities.Single().ValueType);
    }

    [Fact]
    public void LoadDefinitions_HiddenFoldersAndIgnoredPaths_AreSkipped()
    {
        using var repo = new TempRepo()
            .Write("a.yaml", "kind: entity\nname: kept\n")
            .Write(".hidden/b.yaml", "kind: nonsense\n")
            .Write("drafts/c.yaml", "this is: [not valid")
            .Write("old.yaml", "kind: nonsense\n")
            .Write(".granaryignore", "# comment\ndrafts/\nold.yaml\n");

        var set = FeatureRepo.LoadDefinitions(repo.Path);

        Assert.Equal(["kept"], set.Entities.Select(e => e.Name));
    }

    [Theory]
    [InlineData("kind: entity\nname: e: f\n", "bad.yaml:2:", "malformed YAML")]
    [InlineData("kind: entity\nname: [oops\n", "bad.yaml:3:1", "malformed YAML")]
    [InlineData("kind: entity\nname: e\n---\nkind: wizard\nname: w\n", "bad.yaml:4:7", "unknown kind 'wizard'")]
    [InlineData("kind: entity\nname: e\ncolour: blue\n", "bad.yaml:3:1", "unknown key 'colour'")]
    [InlineData("kind: entity\nname: e\n---\nkind: entity\nname: e\n", "bad.yaml:4:1", "duplicate name; first declared at bad.yaml:1:1")]
    [InlineData("kind: entity\nname: e\nvalue_type: float64\n", "bad.yaml:3:13", "value_type 'float64' is not a join key type")]
    [InlineData("kind: entity\n", "bad.yaml:1:1", "missing required key 'name'")]
    public void LoadDefinitions_BadDocument_FailsWithFileAndLine(string yaml, string where, string what)
    {
        using var repo = new TempRepo().Write("bad.yaml", yaml);

        var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadDefinitions(repo.Path));

        var line = Assert.Single(error.Errors, e => e.Contains(what, StringComparison.Ordinal));
        Assert.StartsWith(where, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ttl: 1x", "features.yaml:6:6", "ttl '1x' is not a duration")]
    [InlineData("ttl: 1d\n  ", null, null)]
    public void LoadDefinitions_BadTtl_NamesLineAndValue(string ttlLine, string? where, string? what)
    {
        using var repo = new TempRepo().Write("features.yaml", $"""
            kind: feature_view
            name: v
            entities: [driver]
            source: s
            schema: [{"{"} name: f, dtype: float64 {"}"}]
            {ttlLine}
            ---
            kind: entity
            name: driver
            ---
            kind: file_source
            name: s
            path: s.parquet
            """);

        if (where is null)
        {
            Assert.Equal(TimeSpan.FromDays(1), FeatureRepo.LoadDefinitions(repo.Path).FeatureViews.Single().Ttl);
            return;
        }

        var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadDefinitions(repo.Path));
        Assert.Contains(error.Errors, e => e.StartsWith(where, StringComparison.Ordinal) && e.Contains(what!, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadDefinitions_DanglingReferencesAndUnknownDtype_ReportEach()
    {
        using var repo = new TempRepo().Write("features.yaml", """
            kind: feature_view
            name: v
            entities: [ghost]
            source: nowhere
            schema:
              - { name: f, dtype: float128 }
            ---
            kind: feature_service
            name: svc
            features: [missing_view]
            """);

        var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadDefinitions(repo.Path));

        Assert.Contains(error.Errors, e => e.StartsWith("features.yaml:6:", StringComparison.Ordinal) && e.Contains("unknown dtype 'float128'", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadDefinitions_DanglingReferences_NameTheMissingObjects()
    {
        using var repo = new TempRepo().Write("features.yaml", """
            kind: feature_view
            name: v
            entities: [ghost]
            source: nowhere
            schema:
              - { name: f, dtype: float64 }
            ---
            kind: feature_service
            name: svc
            features: [missing_view]
            """);

        var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadDefinitions(repo.Path));

        Assert.Contains("features.yaml:1:1: feature_view 'v': entity 'ghost' is not declared", error.Errors);
        Assert.Contains("features.yaml:1:1: feature_view 'v': source 'nowhere' is not declared", error.Errors);
        Assert.Contains("features.yaml:8:1: feature_service 'svc': view 'missing_view' is not a declared feature view, aggregation view or on-demand view", error.Errors);
    }

    [Fact]
    public void LoadConfig_Defaults_AreFileRegistryDuckDbAndSqlite()
    {
        using var repo = new TempRepo("demo");

        var config = FeatureRepo.LoadConfig(repo.Path);

        Assert.Equal("demo", config.Project);
        // Unwritten store sections take the default store that an installed backend offers.
        Assert.Equal(("file", string.Empty, string.Empty), (config.Registry.Type, config.OfflineStore.Type, config.OnlineStore.Type));
        Assert.Equal(Path.Combine(repo.Path, "data", "registry.json"), ConfigBinder.Bind(new FileRegistryOptions(), config.Registry, config).Path);
    }

    [Fact]
    public void LoadConfig_StoreSections_KeepTheLineOfEveryKey()
    {
        using var repo = new TempRepo("demo").Write("granary.yaml", """
            project: demo
            registry: state/registry.json
            online_store:
              type: redis
              connection_string: 127.0.0.1:6379
              key_ttl: 60
            """);

        var config = FeatureRepo.LoadConfig(repo.Path);

        Assert.Equal(("file", "state/registry.json"), (config.Registry.Type, config.Registry.Get("path")));
        Assert.Equal("granary.yaml:2:11: registry.path", config.Registry.Where("path"));
        Assert.Equal("redis", config.OnlineStore.Type);
        Assert.Equal("granary.yaml:6:12: online_store.key_ttl", config.OnlineStore.Where("key_ttl"));
        Assert.Equal("granary.yaml:4:9: online_store.type", config.OnlineStore.Where("type"));
    }

    [Fact]
    public void LoadConfig_BadProjectName_FailsWithLine()
    {
        using var repo = new TempRepo("bad-name");

        var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadConfig(repo.Path));

        Assert.StartsWith("granary.yaml:1:10:", error.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvePath_EscapingTheRepo_IsRefused()
    {
        using var repo = new TempRepo();
        var config = FeatureRepo.LoadConfig(repo.Path);

        Assert.Throws<GranaryException>(() => config.ResolvePath("../outside.parquet", "file_source 'x' path"));
        Assert.Throws<GranaryException>(() => config.ResolvePath("/etc/passwd", "file_source 'x' path"));
        Assert.Equal(Path.Combine(repo.Path, "data", "x.parquet"), config.ResolvePath("data/x.parquet", "p"));
    }
}
