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
    public async Task Open_Layout2_MigratesToLayout3WithDatasetsAndKeepsTheProject()
    {
        var connectionString = await server.CreateDatabaseAsync("layout2");
        var definitions = RegistryJson.Serialize(Views("v1"), Kinds);
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();

            // The tables as Granary wrote them at layout 2, before saved datasets.
            foreach (var sql in new[]
            {
                "CREATE TABLE granary_registry_projects (name text PRIMARY KEY, version bigint NOT NULL, updated_at bigint NOT NULL, definitions text NOT NULL)",
                "CREATE TABLE granary_registry_materializations (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, project text NOT NULL, view_name text NOT NULL, start_us bigint NOT NULL, end_us bigint NOT NULL, recorded_us bigint NOT NULL)",
                "CREATE INDEX granary_registry_materializations_project ON granary_registry_materializations (project, id)",
                "CREATE TABLE granary_registry_layout (version integer NOT NULL)",
                "INSERT INTO granary_registry_layout VALUES (2)",
            })
            {
                await using var command = new Npgsql.NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }

            await using var insert = new Npgsql.NpgsqlCommand("INSERT INTO granary_registry_projects VALUES ('alpha', 5, 0, @definitions)", connection);
            insert.Parameters.AddWithValue("definitions", definitions);
            await insert.ExecuteNonQueryAsync();
        }

        await using var registry = new PostgresRegistryOptions { ConnectionString = connectionString }.CreateRegistry(sourceKinds: Kinds);

        Assert.Equal(5, (await registry.GetAsync("alpha"))!.Version);
        await registry.SaveDatasetAsync("alpha", new Granary.Datasets.SavedDataset
        {
            Name = "v1", CreatedAt = DateTimeOffset.UnixEpoch, RegistryVersion = 5, Features = ["v1:x"],
            Entities = new Granary.Datasets.DatasetEntities { Kind = Granary.Datasets.DatasetEntities.SqlKind, Sql = "SELECT 1" },
            Path = "data.parquet", Columns = ["driver_id", "event_timestamp", "v1__x"], Rows = 1, Sha256 = new string('e', 64),
        });
        Assert.Equal(["v1"], (await registry.ListDatasetsAsync("alpha")).Select(d => d.Name));
        await using var check = new Npgsql.NpgsqlConnection(connectionString);
        await check.OpenAsync();
        await using var layout = new Npgsql.NpgsqlCommand($"SELECT version FROM {SqlRegistry.LayoutTable}", check);
        Assert.Equal(3, (int)(await layout.ExecuteScalarAsync())!);
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
