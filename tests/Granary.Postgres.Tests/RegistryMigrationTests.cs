using Granary.Definitions;
using Granary.Registry;
using Granary.Repo;

namespace Granary.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class RegistryMigrationTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-migrate-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static readonly SourceKinds Kinds = new SourceKinds().Add(PostgresSource.SourceKind);

    private static DefinitionSet Views(params string[] names) => new()
    {
        Entities = [new Entity { Name = "driver" }],
        Sources = [new PostgresSource { Name = "stats", Table = "stats" }],
        FeatureViews = names.Select(n => new FeatureView
        {
            Name = n, Entities = ["driver"], Source = "stats", Schema = [new Field { Name = "x", Dtype = DataType.Float64 }],
        }).ToArray(),
    };

    [Fact]
    public async Task Migrate_FileRegistry_CopiesVersionsTimesDefinitionsAndIntervals()
    {
        var t0 = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await using var file = new FileRegistry(Path.Combine(_folder, "registry.json"), sourceKinds: Kinds);
        await file.ApplyAsync("alpha", Views("v1"), 0);
        await file.ApplyAsync("alpha", Views("v1", "v2"), 1);
        await file.RecordMaterializationAsync("alpha", "v1", new(t0, t0.AddHours(1), t0.AddHours(2)));
        await file.RecordMaterializationAsync("alpha", "v1", new(t0.AddHours(1), t0.AddHours(3), t0.AddHours(4)));
        await file.ApplyAsync("beta", Views(), 0);
        await using var sql = new PostgresRegistryOptions { ConnectionString = await server.CreateDatabaseAsync("migrate") }.CreateRegistry();

        var moved = await RegistryMigration.MigrateAsync(file, sql);

        Assert.Equal(["alpha", "beta"], moved);
        var expected = (await file.GetAsync("alpha"))!;
        var actual = (await sql.GetAsync("alpha"))!;
        Assert.Equal(2, actual.Version);
        // SQL registries keep times to the microsecond.
        Assert.Equal(expected.UpdatedAt.UtcTicks / 10, actual.UpdatedAt.UtcTicks / 10);
        Assert.Equal(RegistryJson.Serialize(expected.Definitions, Kinds), RegistryJson.Serialize(actual.Definitions, Kinds));
        Assert.Equal(
            [new MaterializationInterval(t0, t0.AddHours(1), t0.AddHours(2)), new MaterializationInterval(t0.AddHours(1), t0.AddHours(3), t0.AddHours(4))],
            actual.Materializations["v1"]);
        Assert.Equal(1, await sql.GetVersionAsync("beta"));

        // Applies continue from the migrated version; a second migration refuses to overwrite.
        Assert.Equal(3, (await sql.ApplyAsync("alpha", Views("v1"), 2)).Version);
        await Assert.ThrowsAsync<RegistryConflictException>(() => RegistryMigration.MigrateAsync(file, sql));
    }

    [Fact]
    public async Task Build_RegistryTypeSql_UsesPostgresAndRefusesUnknownDialect()
    {
        var connectionString = await server.CreateDatabaseAsync("builder");
        var settings = new Dictionary<string, string> { ["connection_string"] = connectionString };
        var config = new RepoConfig
        {
            RepoPath = _folder,
            Project = "built",
            Registry = new StoreConfig("sql", settings),
            OfflineStore = new StoreConfig("postgres", settings),
        };

        await using (var store = new FeatureStoreBuilder(config).AddPostgres().Build())
        {
            Assert.IsType<SqlRegistry>(store.Registry);
            Assert.IsType<PostgresOfflineStore>(store.Offline);
            Assert.Equal(1, (await store.Registry.ApplyAsync("built", Views(), 0)).Version);
        }

        var sqlite = config with { Registry = new StoreConfig("sql", new Dictionary<string, string>(settings) { ["dialect"] = "oracle" }) };
        var error = Assert.Throws<GranaryException>(() => new FeatureStoreBuilder(sqlite).AddPostgres().Build());
        Assert.Contains("registry.dialect", error.Message, StringComparison.Ordinal);
    }
}
