using Granary.Online;
using Granary.Sqlite;

namespace Granary.EndToEnd.Tests;

public sealed class SqliteServingTests : ServingAgreesWithTrainingTests
{
    protected override OnlineStore CreateOnlineStore(string repoPath) =>
        new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(repoPath, "online.db") });
}
