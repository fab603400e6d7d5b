using Granary.Repo;

namespace Granary.Sqlite.Tests;

/// <summary>online_store: { type: sqlite } and registry: { type: sql, dialect: sqlite } as granary.yaml binds them.</summary>
public sealed class SqliteOptionsTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-sqlite-options-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private RepoConfig Config(string yaml)
    {
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), $"project: p\n{yaml}");
        return FeatureRepo.LoadConfig(_repo);
    }

    [Fact]
    public void Bind_EveryKey_SetsTheOptions()
    {
        var config = Config("online_store:\n  type: sqlite\n  path: state/online.db\n  max_pooled_connections: 4\n  rows_per_transaction: 1000\n  busy_timeout: 5s\n");

        var options = ConfigBinder.Bind(new SqliteOnlineStoreOptions(), config.OnlineStore, config);

        Assert.Equal(Path.Combine(_repo, "state", "online.db"), options.Path);
        Assert.Equal((4, 1000, TimeSpan.FromSeconds(5)), (options.MaxPooledConnections, options.RowsPerTransaction, options.BusyTimeout));
    }

    [Fact]
    public void Bind_NoPath_DefaultsToDataOnlineDbInTheRepo()
    {
        var config = Config(string.Empty);

        Assert.Equal(Path.Combine(_repo, "data", "online.db"), ConfigBinder.Bind(new SqliteOnlineStoreOptions(), config.OnlineStore, config).Path);
        Assert.Equal(Path.Combine(_repo, "data", "registry.db"), ConfigBinder.Bind(new SqliteRegistryOptions(), config.OnlineStore with { Settings = new Dictionary<string, string>() }, config).Path);
    }

    [Theory]
    [InlineData("online_store:\n  type: sqlite\n  path: ../elsewhere.db\n", "granary.yaml:4:9: online_store.path: '../elsewhere.db' leaves the repo folder")]
    [InlineData("online_store:\n  type: sqlite\n  busy_timeout: 2h\n", "granary.yaml:4:17: online_store.busy_timeout: must be from 0 to 1h, not 2h")]
    [InlineData("online_store:\n  type: sqlite\n  pool: 3\n", "granary.yaml:4:9: online_store.pool: unknown key; expected one of: busy_timeout, max_pooled_connections, path, rows_per_transaction")]
    public void Bind_Mistake_NamesLineAndKey(string yaml, string expected)
    {
        var config = Config(yaml);

        var error = Assert.Throws<RepoValidationException>(() => ConfigBinder.Bind(new SqliteOnlineStoreOptions(), config.OnlineStore, config));

        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Fact]
    public void Build_SqlRegistryWithAnUnknownKey_NamesTheLine()
    {
        var config = Config("registry:\n  type: sql\n  dialect: sqlite\n  file: r.db\n");

        var error = Assert.ThrowsAny<GranaryException>(() => new FeatureStoreBuilder(config).AddSqlite().Build());

        Assert.Equal("granary.yaml:5:9: registry.file: unknown key; expected one of: dialect, path", error.Message);
    }
}
