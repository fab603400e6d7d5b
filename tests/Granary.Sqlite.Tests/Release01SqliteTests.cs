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
        }

        Assert.Equal(SqlRegistry.LayoutVersion, LayoutVersion());
    }

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
