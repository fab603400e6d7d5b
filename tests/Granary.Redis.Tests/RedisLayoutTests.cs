using Granary.Definitions;
using Granary.Online;

namespace Granary.Redis.Tests;

public sealed class RedisLayoutTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly FeatureView Stats = new()
    {
        Name = "stats",
        Entities = ["driver"],
        Source = "s",
        Schema = [new Field { Name = "trips", Dtype = DataType.Int64 }],
    };

    private static string NewProject() => "p" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task WriteBatchAsync_KeyTtl_ExpiresHash()
    {
        var project = NewProject();
        await using var store = new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString, KeyTtl = TimeSpan.FromSeconds(300) });

        await store.WriteBatchAsync(project, Stats, [new OnlineRow(new EntityKey(["driver_id"], [1L]), DateTimeOffset.UnixEpoch, [5L])]);

        var ttl = int.Parse((await redis.Server.CliAsync("ttl", project + ":driver_id=i1")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 290, 300);
    }

    [Fact]
    public async Task WriteBatchAsync_SecondBatch_RunsScriptBySha()
    {
        var project = NewProject();
        await using var store = new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString });
        var row = new OnlineRow(new EntityKey(["driver_id"], [1L]), DateTimeOffset.UnixEpoch, [5L]);
        await store.WriteBatchAsync(project, Stats, [row]);
        var before = EvalshaCalls(await redis.Server.CliAsync("info", "commandstats"));

        await store.WriteBatchAsync(project, Stats, [row]);

        Assert.Equal(before + 1, EvalshaCalls(await redis.Server.CliAsync("info", "commandstats")));
    }

    [Fact]
    public void Fingerprint_TwoFeatures_IsTheNameDtypeLinesStoredBefore()
    {
        var view = Stats with { Schema = [.. Stats.Schema, new Field { Name = "tier", Dtype = DataType.String }] };

        Assert.Equal("trips:int64\ntier:string", RedisLayout.Fingerprint(view));
    }

    [Fact]
    public async Task UpdateAsync_SchemaAsStoredBefore_KeepsTheRows()
    {
        // A project applied by an earlier version: its _views entry was written as "trips:int64".
        var project = NewProject();
        await redis.Server.CliAsync("hset", project + ":_views", "stats", "trips:int64");
        await using var store = new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString });
        var key = new EntityKey(["driver_id"], [1001L]);
        await store.WriteBatchAsync(project, Stats, [new OnlineRow(key, DateTimeOffset.UnixEpoch.AddSeconds(2), [5L])]);

        await store.UpdateAsync(project, [Stats], []);

        var read = await store.ReadAsync(project, [new OnlineViewRead(Stats, Stats.Schema)], [key]);
        Assert.Equal(5L, Assert.Single(read[0])?.Values[0]);
    }

    [Theory]
    [InlineData("proj", "proj:*")]
    [InlineData("a*b?[c]\\", "a\\*b\\?\\[c\\]\\\\:*")]
    public void ProjectPattern_GlobCharacters_AreEscaped(string project, string expected)
    {
        Assert.Equal(expected, RedisLayout.ProjectPattern(project).ToString());
    }

    [Fact]
    public async Task WriteBatchAsync_ProjectWithColon_IsRefused()
    {
        await using var store = new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = redis.ConnectionString });

        await Assert.ThrowsAsync<GranaryException>(() => store.WriteBatchAsync("a:b", Stats, []));
    }

    [Fact]
    public async Task PingAsync_NothingListening_ThrowsGranaryExceptionNamingEndpoint()
    {
        var endpoint = "127.0.0.1:" + LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var store = new RedisOnlineStore(new RedisOnlineStoreOptions { ConnectionString = endpoint + ",connectTimeout=500" });

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.PingAsync());

        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    private static long EvalshaCalls(string commandStats)
    {
        // A line reads "cmdstat_evalsha:calls=3,usec=...".
        var line = commandStats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
