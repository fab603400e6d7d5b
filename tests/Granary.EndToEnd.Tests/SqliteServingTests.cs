using Granary.Online;
using Granary.Sqlite;

namespace Granary.EndToEnd.Tests;

public sealed class SqliteServingTests : ServingAgreesWithTrainingTests
{
    protected override Task<OnlineStore> CreateOnlineStoreAsync(string repoPath) =>
        Task.FromResult<OnlineStore>(new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(repoPath, "online.db") }));
}
