using Granary.Conformance;
using Granary.Online;

namespace Granary.Sqlite.Tests;

public sealed class SqliteOnlineStoreTests(TempFolderFixture folder) : OnlineStoreTests, IClassFixture<TempFolderFixture>
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(folder.Path, "data", "online.db") }));

    /// <summary>A database path that is a folder: SQLite cannot open it.</summary>
    protected override Task<(OnlineStore Store, string Name)> CreateUnreachableStoreAsync()
    {
        var path = Directory.CreateDirectory(Path.Combine(folder.Path, "unopenable-" + Guid.NewGuid().ToString("N"))).FullName;
        return Task.FromResult<(OnlineStore, string)>((new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = path }), path));
    }
}
