using Granary.Conformance;
using Granary.Online;

namespace Granary.Sqlite.Tests;

public sealed class SqliteOnlineStoreTests(TempFolderFixture folder) : OnlineStoreTests, IClassFixture<TempFolderFixture>
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(folder.Path, "data", "online.db") }));
}
