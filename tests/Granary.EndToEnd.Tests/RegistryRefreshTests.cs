using Granary.Conformance;
using Granary.Definitions;
using Granary.DuckDb;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Granary.EndToEnd.Tests;

/// <summary>
/// Who refreshes the served registry snapshot (<see cref="FeatureStoreOptions.RegistryRefresh"/>): a
/// second store applies a new version of the project while the store under test serves the first.
/// </summary>
public sealed class RegistryRefreshTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-refresh-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(T);

    private static DefinitionSet Definitions(params string[] features) => new()
    {
        Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }],
        Sources = [new FileSource { Name = "stats", Path = "stats.csv" }],
        FeatureViews =
        [
            new FeatureView
            {
                Name = "stats",
                Entities = ["driver"],
                Source = "stats",
                Schema = features.Select(f => new Field { Name = f, Dtype = DataType.Float64 }).ToArray(),
            },
        ],
    };

    private FeatureStore NewStore(FeatureStoreOptions? options = null) => new(
        new RepoConfig { RepoPath = _repo, Project = "refresh" },
        new FileRegistry(Path.Combine(_repo, "registry.json"), _time),
        new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = _repo }),
        new Lazy<OnlineStore>(() => new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(_repo, "online.db") })),
        _time,
        options: options);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_repo);
        await File.WriteAllTextAsync(Path.Combine(_repo, "stats.csv"), TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float64"), ("price", "float64")],
            [1001L, T.AddHours(-1), 0.5, 10.0]).ToCsv());
        await using var store = NewStore();
        await store.ApplyAsync(Definitions("conv_rate"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_repo, recursive: true);
        return Task.CompletedTask;
    }

    private async Task ApplyVersionTwoAsync()
    {
        await using var other = NewStore();
        await other.ApplyAsync(Definitions("conv_rate", "price"));
    }

    [Fact]
    public async Task OnRead_AfterTheInterval_ReadsSeeTheNewVersion()
    {
        await using var store = NewStore(new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.FromSeconds(5) });
        Assert.Equal(1, (await store.GetServingSnapshotAsync()).Version);
        await ApplyVersionTwoAsync();

        _time.Advance(TimeSpan.FromSeconds(4));
        var before = (await store.GetServingSnapshotAsync()).Version;
        _time.Advance(TimeSpan.FromSeconds(2));
        var after = (await store.GetServingSnapshotAsync()).Version;

        Assert.Equal(1, before);
        Assert.Equal(2, after);
    }

    [Fact]
    public async Task ByHost_ReadsKeepTheSnapshotUntilTheHostRefreshes()
    {
        await using var store = NewStore(new FeatureStoreOptions { RegistryRefresh = RegistryRefreshMode.ByHost });
        Assert.Equal(1, (await store.GetServingSnapshotAsync()).Version);
        await ApplyVersionTwoAsync();

        _time.Advance(TimeSpan.FromDays(2));
        var unknown = await Assert.ThrowsAsync<DefinitionNotFoundException>(() => store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["stats:price"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L] },
        }));
        var refreshed = await store.RefreshServingSnapshotAsync();

        Assert.Contains("has no feature 'price'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(2, refreshed.Version);
        Assert.Equal(2, (await store.GetServingSnapshotAsync()).Version);
    }

    [Fact]
    public void Constructor_IntervalOutOfRange_FailsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => NewStore(new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.FromDays(2) }));

        Assert.Equal("FeatureStoreOptions: RegistryRefreshInterval must be 0 to 1 day", error.Message);
    }
}
