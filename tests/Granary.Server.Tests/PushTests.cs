using System.Net;
using Granary.Conformance;
using Granary.Offline;

namespace Granary.Server.Tests;

/// <summary>POST /push, /write-to-online-store, /materialize and /materialize-incremental in process on SQLite and DuckDB.</summary>
public sealed class PushTests : InProcessServerTests
{
    private const string Read1001 = """{"features": ["driver_hourly_stats:conv_rate", "driver_hourly_stats:trips", "driver_hourly_stats:tier"], "entities": {"driver_id": [1001]}}""";

    private static string Push(string to, string time = "2024-01-01T12:30:00Z", string conv = "0.75") => $$$"""
        {"push_source_name": "driver_stats_push", "to": "{{{to}}}",
         "df": {"driver_id": [1001], "event_timestamp": ["{{{time}}}"], "conv_rate": [{{{conv}}}], "trips": [12], "tier": ["platinum"]}}
        """;

    private async Task<string> ReadResultsAsync()
    {
        var answer = await Http.PostAsync(Client, "/get-online-features", Read1001);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json.GetProperty("results").ToString();
    }

    [Fact]
    public async Task Push_Online_ReadReturnsPushedValuesAndEventTime()
    {
        var push = await Http.PostAsync(Client, "/push", Push("online"));
        var results = await ReadResultsAsync();

        Assert.True(push.Status == HttpStatusCode.OK, push.Body);
        Assert.Equal("""{"rows":1}""", push.Body);
        Assert.Equal(
            """[{"values":[1001],"statuses":["PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z"]},""" +
            """{"values":[0.75],"statuses":["PRESENT"],"event_timestamps":["2024-01-01T12:30:00Z"]},""" +
            """{"values":[12],"statuses":["PRESENT"],"event_timestamps":["2024-01-01T12:30:00Z"]},""" +
            """{"values":["platinum"],"statuses":["PRESENT"],"event_timestamps":["2024-01-01T12:30:00Z"]}]""",
            results);
        Assert.Single(Directory.GetFiles(Repo.PartFolder)); // online only: no new part file
    }

    [Fact]
    public async Task Push_OlderThanStored_LeavesNewerOnlineValue()
    {
        var before = await ReadResultsAsync();

        var push = await Http.PostAsync(Client, "/push", Push("online", time: "2024-01-01T08:00:00Z"));

        Assert.True(push.Status == HttpStatusCode.OK, push.Body);
        Assert.Equal(before, await ReadResultsAsync()); // the 11:00 row stays: writes are monotonic in event time
    }

    [Fact]
    public async Task Push_OnlineAndOffline_TrainingDataSeesPushedRow()
    {
        var push = await Http.PostAsync(Client, "/push", Push("online_and_offline"));
        File.WriteAllText(Path.Combine(Repo.Path, "entities.csv"), "driver_id,event_timestamp\n1001,2024-01-01T13:00:00Z\n1001,2024-01-01T12:00:00Z\n");
        await using var store = Repo.OpenStore();
        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityInput.FromFile(Path.Combine(Repo.Path, "entities.csv")),
            FeatureService = "activity",
        });
        var rows = await ResultRows.ReadAllAsync(result);

        Assert.True(push.Status == HttpStatusCode.OK, push.Body);
        Assert.Equal(2, Directory.GetFiles(Repo.PartFolder, "*.parquet").Length);
        // 13:00 sees the pushed 12:30 row; 12:00 still sees the 11:00 row.
        Assert.Equal([0.75, 0.6], rows.Select(r => (double)r["conv_rate"]!));
        Assert.Equal(["platinum", "gold"], rows.Select(r => (string)r["tier"]!));
        Assert.Contains("0.75", await ReadResultsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_Offline_DoesNotChangeOnlineValues()
    {
        var before = await ReadResultsAsync();

        var push = await Http.PostAsync(Client, "/push", Push("offline"));

        Assert.True(push.Status == HttpStatusCode.OK, push.Body);
        Assert.Equal(2, Directory.GetFiles(Repo.PartFolder, "*.parquet").Length);
        Assert.Equal(before, await ReadResultsAsync());
    }

    [Theory]
    [InlineData("""{"push_source_name": "driver_stats_push", "to": "online_and_offline", "df": {"driver_id": [1001, 1002], "event_timestamp": ["2024-01-01T12:30:00Z", "2024-01-01T12:30:00Z"], "conv_rate": [0.1, "high"], "trips": [1, 2], "tier": ["a", "b"]}}""",
        "column 'conv_rate', row 1: feature 'conv_rate' expects float64")]
    [InlineData("""{"push_source_name": "driver_stats_push", "to": "online_and_offline", "df": {"driver_id": [1001], "event_timestamp": ["2024-01-01T12:30:00Z"], "conv_rate": [0.1], "trips": [1.5], "tier": ["a"]}}""",
        "column 'trips', row 0: feature 'trips' expects int64")]
    [InlineData("""{"push_source_name": "driver_stats_push", "to": "online_and_offline", "df": {"driver_id": [1001], "event_timestamp": ["2024-01-01T12:30:00Z"], "conv_rate": [0.1], "tier": ["a"]}}""",
        "missing column 'trips' (a feature of feature view 'driver_hourly_stats')")]
    [InlineData("""{"push_source_name": "driver_stats_push", "to": "online_and_offline", "df": {"driver_id": [1001], "event_timestamp": ["2024-01-01T12:30:00Z"], "conv_rate": [0.1], "trips": [1], "tier": ["a"], "extra": [1]}}""",
        "unknown column 'extra'")]
    [InlineData("""{"push_source_name": "driver_stats_push", "to": "online_and_offline", "df": {"driver_id": [1001, 1002], "event_timestamp": ["2024-01-01T12:30:00Z"], "conv_rate": [0.1], "trips": [1], "tier": ["a"]}}""",
        "columns have different lengths")]
    [InlineData("""{"push_source_name": "driver_stats_push", "to": "online_and_offline", "df": {"driver_id": [1001], "event_timestamp": [null], "conv_rate": [0.1], "trips": [1], "tier": ["a"]}}""",
        "column 'event_timestamp', row 0: the event timestamp must not be null")]
    [InlineData("""{"push_source_name": "driver_stats_push", "to": "online_and_offline", "df": {"driver_id": [null], "event_timestamp": ["2024-01-01T12:30:00Z"], "conv_rate": [0.1], "trips": [1], "tier": ["a"]}}""",
        "join keys must not be null")]
    [InlineData("""{"push_source_name": "nope", "df": {"driver_id": [1001]}}""", "unknown push source 'nope'")]
    [InlineData("""{"push_source_name": "driver_stats", "df": {"driver_id": [1001]}}""", "source 'driver_stats' is a file_source, not a push_source")]
    [InlineData("""{"push_source_name": "driver_stats_push", "to": "everywhere", "df": {"driver_id": [1001]}}""", "'to' is 'everywhere'")]
    [InlineData("""{"df": {"driver_id": [1001]}}""", "'push_source_name' is required")]
    public async Task Push_BadColumnOrValue_Returns400AndWritesNothingAnywhere(string body, string expected)
    {
        var before = await ReadResultsAsync();

        var push = await Http.PostAsync(Client, "/push", body);

        Assert.Equal(HttpStatusCode.BadRequest, push.Status);
        Assert.Contains(expected, push.Detail, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Repo.PartFolder));
        Assert.Equal(before, await ReadResultsAsync());
    }

    [Fact]
    public async Task WriteToOnlineStore_Rows_ReadReturnsThem()
    {
        var write = await Http.PostAsync(Client, "/write-to-online-store", """
            {"feature_view_name": "driver_hourly_stats",
             "df": {"driver_id": [1003], "event_timestamp": ["2024-01-02T00:00:00+01:00"], "conv_rate": [0.25], "trips": [3], "tier": [null]}}
            """);
        var read = await Http.PostAsync(Client, "/get-online-features", """{"features": ["driver_hourly_stats:trips", "driver_hourly_stats:tier"], "entities": {"driver_id": [1003]}}""");

        Assert.True(write.Status == HttpStatusCode.OK, write.Body);
        // 2024-01-02T00:00+01:00 is 2024-01-01T23:00Z; a null value is NULL_VALUE, not NOT_FOUND.
        Assert.Equal(
            """[{"values":[1003],"statuses":["PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z"]},""" +
            """{"values":[3],"statuses":["PRESENT"],"event_timestamps":["2024-01-01T23:00:00Z"]},""" +
            """{"values":[null],"statuses":["NULL_VALUE"],"event_timestamps":["2024-01-01T23:00:00Z"]}]""",
            read.Json.GetProperty("results").ToString());
    }

    [Fact]
    public async Task WriteToOnlineStore_UnknownView_Returns404AsFeastDoes()
    {
        var write = await Http.PostAsync(Client, "/write-to-online-store", """{"feature_view_name": "nope", "df": {"driver_id": [1]}}""");

        Assert.Equal(HttpStatusCode.NotFound, write.Status);
        Assert.Equal("unknown feature view 'nope'", write.Detail);
    }

    [Fact]
    public async Task Materialize_NewOfflineRow_ServedAfterwards()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(Client, "/push", Push("offline", time: "2024-01-01T15:00:00Z", conv: "0.05"))).Status);

        var materialize = await Http.PostAsync(Client, "/materialize",
            """{"start_ts": "2024-01-01T00:00:00", "end_ts": "2024-01-01T23:59:59Z", "feature_views": ["driver_hourly_stats"]}""");

        Assert.Equal(HttpStatusCode.OK, materialize.Status);
        // Two keys have rows that day: 1001 (latest now the pushed 15:00 row) and 1002.
        Assert.Equal("""{"views":[{"name":"driver_hourly_stats","start":"2024-01-01T00:00:00Z","end":"2024-01-01T23:59:59Z","rows":2}]}""", materialize.Body);
        Assert.Contains("0.05", await ReadResultsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaterializeIncremental_AfterMaterialize_StartsWhereItEnded()
    {
        var answer = await Http.PostAsync(Client, "/materialize-incremental", """{"end_ts": "2024-01-03T00:00:00Z"}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        // The fixture materialized up to 2024-01-02T00:00Z; no source row lies after it.
        Assert.Equal("""{"views":[{"name":"driver_hourly_stats","start":"2024-01-02T00:00:00Z","end":"2024-01-03T00:00:00Z","rows":0}]}""", answer.Body);
    }

    [Fact]
    public async Task Materialize_BadTime_Returns400NamingField()
    {
        var answer = await Http.PostAsync(Client, "/materialize", """{"start_ts": "yesterday", "end_ts": "2024-01-01T00:00:00Z"}""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("'start_ts': 'yesterday' is not an ISO-8601 time", answer.Detail);
    }
}
