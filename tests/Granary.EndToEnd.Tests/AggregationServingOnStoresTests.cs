using Granary.Conformance;
using Granary.Definitions;
using Granary.DuckDb;
using Granary.DuckDb.Tests;
using Granary.Offline;
using Granary.Online;
using Granary.Redis;
using Granary.Sqlite;

namespace Granary.EndToEnd.Tests;

/// <summary>The aggregation serving suite with DuckDB over a Parquet source, which pushes rewrite with their rows added.</summary>
public abstract class DuckDbAggregationServingTests : AggregationServingTests
{
    protected override Task<OfflineStore> CreateOfflineStoreAsync(string repoPath) =>
        Task.FromResult<OfflineStore>(new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = repoPath, BatchSize = 7 }));

    protected override Task<DataSource> CreateSourceAsync(string repoPath, string name, TestTable table, string createdColumn)
    {
        ParquetFiles.Write(Path.Combine(repoPath, $"{name}.parquet"), table);
        return Task.FromResult<DataSource>(new FileSource { Name = name, Path = $"{name}.parquet", CreatedTimestampColumn = createdColumn });
    }
}

public sealed class SqliteAggregationServingTests : DuckDbAggregationServingTests
{
    protected override Task<OnlineStore> CreateOnlineStoreAsync(string repoPath) =>
        Task.FromResult<OnlineStore>(new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(repoPath, "online.db") }));
}

public sealed class RedisAggregationServingTests(RedisServerFixture redis) : DuckDbAggregationServingTests, IClassFixture<RedisServerFixture>
{
    protected override Task<OnlineStore> CreateOnlineStoreAsync(string repoPath) =>
        Task.FromResult<OnlineStore>(new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString }));
}

public sealed class RedisClusterAggregationServingTests(RedisClusterFixture cluster) : DuckDbAggregationServingTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<OnlineStore> CreateOnlineStoreAsync(string repoPath) =>
        Task.FromResult<OnlineStore>(new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = cluster.ConnectionString }));
}
