using Granary.Definitions;
using Granary.Online;
using Granary.Registry;
using Granary.Testing;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite.Tests;

/// <summary>What Granary 0.1 wrote on SQLite (tests/fixtures/release-0.1): its SQL registry migrates in place, its online rows read.</summary>
public sealed class Release01SqliteTests : IDisposable
{
    private readonly Release01Fixture _fixture = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _fixture.Dispose();
    }

    [Fact]
    public async Task Open_SqlRegistryOf01_MigratesTheLayoutAndKeepsProjects()
    {
        Assert.Equal(-1, LayoutVersion());

        await using (var registry = new SqliteRegistryOptions { Path = _fixture.RegistryDbPath }.CreateRegistry())
        {
            var snapshot = (await registry.GetAsync("upgrade_fixture"))!;
            Assert.Equal(1, snapshot.Version);
            Assert.Equal(13, snapshot.Definitions.All.Count());
            Assert.Equal(Release01Fixture.MaterializedUntil, snapshot.LastMaterializedEnd("driver_pushed_stats"));
            Assert.Equal(["upgrade_fixture", "warehouse"], await registry.ListProjectsAsync());
            Assert.Equal(2, (await registry.ApplyAsync("upgrade_fixture", snapshot.Definitions, 1)).Version);
            await registry.SaveDatasetAsync("upgrade_fixture", Dataset("after_upgrade"));
            Assert.Equal(["after_upgrade"], (await registry.ListDatasetsAsync("upgrade_fixture")).Select(d => d.Name));
        }

        Assert.Equal(SqlRegistry.LayoutVersion, LayoutVersion());
    }

    [Fact]
    public async Task Open_Layout2_MigratesToDatasetsAndKeepsProjectsAndIntervals()
    {
        var path = Path.Combine(_fixture.Folder, "layout2.db");
        var definitions = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(_fixture.RegistryJsonPath)).RootElement
            .GetProperty("projects").GetProperty("upgrade_fixture").GetProperty("definitions").GetRawText();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();

            // The tables as Granary wrote them at layout 2 (before saved datasets), one project and one interval.
            foreach (var sql in new[]
            {
                "CREATE TABLE granary_registry_projects (name TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at INTEGER NOT NULL, definitions TEXT NOT NULL)",
                "CREATE TABLE granary_registry_materializations (id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, view_name TEXT NOT NULL, start_us INTEGER NOT NULL, end_us INTEGER NOT NULL, recorded_us INTEGER NOT NULL)",
                "CREATE INDEX granary_registry_materializations_project ON granary_registry_materializations (project, id)",
                "CREATE TABLE granary_registry_layout (version INTEGER NOT NULL)",
                "INSERT INTO granary_registry_layout VALUES (2)",
                "INSERT INTO granary_registry_materializations (project, view_name, start_us, end_us, recorded_us) VALUES ('upgrade_fixture', 'driver_hourly_stats', 0, 1764518400000000, 1764518400000000)",
            })
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }

            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO granary_registry_projects VALUES ('upgrade_fixture', 7, 1764518400000000, $definitions)";
            insert.Parameters.AddWithValue("$definitions", definitions);
            insert.ExecuteNonQuery();
        }

        await using (var registry = new SqliteRegistryOptions { Path = path }.CreateRegistry())
        {
            var snapshot = (await registry.GetAsync("upgrade_fixture"))!;
            Assert.Equal(7, snapshot.Version);
            Assert.Equal(new DateTimeOffset(2025, 11, 30, 16, 0, 0, TimeSpan.Zero), snapshot.LastMaterializedEnd("driver_hourly_stats"));
            await registry.SaveDatasetAsync("upgrade_fixture", Dataset("v1"));
            Assert.Equal(40, (await registry.GetDatasetAsync("upgrade_fixture", "v1"))!.Rows);
        }

        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var layout = check.CreateCommand();
        layout.CommandText = $"SELECT version FROM {SqlRegistry.LayoutTable}";
        Assert.Equal(3L, (long)layout.ExecuteScalar()!);
    }

    private static Granary.Datasets.SavedDataset Dataset(string name) => new()
    {
        Name = name,
        CreatedAt = Release01Fixture.MaterializedUntil,
        RegistryVersion = 2,
        Features = ["driver_hourly_stats:conv_rate"],
        Entities = new Granary.Datasets.DatasetEntities { Kind = Granary.Datasets.DatasetEntities.SqlKind, Sql = "SELECT 1" },
        Path = "data/datasets/v1/data.parquet",
        Columns = ["driver_id", "event_timestamp", "driver_hourly_stats__conv_rate"],
        Rows = 40,
        Sha256 = new string('c', 64),
    };

    [Fact]
    public async Task Open_LayoutOfANewerGranary_RefusesAndSaysToUpgrade()
    {
        await using (var registry = new SqliteRegistryOptions { Path = _fixture.RegistryDbPath }.CreateRegistry())
        {
            await registry.ListProjectsAsync();
        }

        Execute($"UPDATE {SqlRegistry.LayoutTable} SET version = 99");
        await using var newer = new SqliteRegistryOptions { Path = _fixture.RegistryDbPath }.CreateRegistry();

        var error = await Assert.ThrowsAsync<GranaryException>(() => newer.GetAsync("upgrade_fixture"));

        Assert.Equal($"registry: its tables have layout 99, written by a newer Granary; this one knows layouts up to {SqlRegistry.LayoutVersion} (upgrade Granary)", error.Message);
    }

    [Fact]
    public async Task Read_OnlineRowsWrittenBy01_GiveTheValues01Served()
    {
        await using var store = new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = _fixture.OnlineDbPath });
        var view = (await new FileRegistry(_fixture.RegistryJsonPath).GetAsync("upgrade_fixture"))!.Definitions.FindFeatureView("driver_hourly_stats")!;
        var key = new EntityKey(["driver_id"], [1001L]);

        var read = (await store.ReadAsync("upgrade_fixture", [new OnlineViewRead(view, view.Schema)], [key]))[0][0]!;

        Assert.Equal(Release01Fixture.MaterializedUntil, read.EventTimestamp);
        Assert.Equal(0.78182375f, read.Values[0]);
        Assert.Equal(615L, read.Values[2]);
    }

    private long LayoutVersion()
    {
        using var connection = new SqliteConnection($"Data Source={_fixture.RegistryDbPath};Pooling=False");
        connection.Open();
        using var exists = connection.CreateCommand();
        exists.CommandText = $"SELECT count(*) FROM sqlite_master WHERE name = '{SqlRegistry.LayoutTable}'";
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return -1;
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version FROM {SqlRegistry.LayoutTable}";
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_fixture.RegistryDbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
