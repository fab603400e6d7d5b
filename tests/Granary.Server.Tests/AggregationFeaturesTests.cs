using System.Globalization;
using System.Net;
using Granary.Serving.V1;

namespace Granary.Server.Tests;

/// <summary>
/// Aggregation features through the feature server: pushed over REST, read over REST and gRPC with
/// the same values. The events are pushed a minute or two before the (system) clock, into exact
/// one-hour windows, so the values below hold whenever the test runs.
/// </summary>
public sealed class AggregationFeaturesTests : IAsyncLifetime
{
    private const string View = """

        ---
        kind: aggregation_view
        name: driver_aggs
        entities: [driver]
        source: driver_stats_push
        hop: 0
        aggregations:
          - { function: count, windows: [1h] }
          - { column: trips, function: sum, windows: [1h] }
          - { column: conv_rate, function: avg, windows: [1h] }
          - { column: tier, function: last_k, k: 2, windows: [1h] }
        """;

    private const string Read = """
        {"features": ["driver_aggs:count_1h", "driver_aggs:trips_sum_1h", "driver_aggs:conv_rate_avg_1h", "driver_aggs:tier_last_2_1h"],
         "entities": {"driver_id": [1001, 1002]}}
        """;

    private readonly TestRepo _repo = new();
    private ServerFactory? _factory;
    private HttpClient? _client;

    private HttpClient Client => _client!;

    public async Task InitializeAsync()
    {
        _repo.WriteDefinitions(TestRepo.Definitions + View);
        await _repo.ApplyAsync(materialize: false);
        _factory = new ServerFactory(_repo);
        _client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _repo.Dispose();
    }

    private static string Time(TimeSpan fromNow) =>
        (TimeProvider.System.GetUtcNow() + fromNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private Task<Http.Answer> PushAsync(string first, string second) => Http.PostAsync(Client, "/push", $$$"""
        {"push_source_name": "driver_stats_push", "to": "online",
         "df": {"driver_id": [1001, 1001], "event_timestamp": ["{{{first}}}", "{{{second}}}"], "conv_rate": [0.5, 0.75], "trips": [3, 4], "tier": ["gold", "silver"]}}
        """);

    [Fact]
    public async Task GetOnlineFeatures_AfterRestPush_RestAndGrpcGiveTheWindowsValues()
    {
        var push = await PushAsync(Time(TimeSpan.FromMinutes(-2)), Time(TimeSpan.FromMinutes(-1)));
        Assert.True(push.Status == HttpStatusCode.OK, push.Body);

        var rest = await Http.PostAsync(Client, "/get-online-features", Read);

        Assert.True(rest.Status == HttpStatusCode.OK, rest.Body);
        var epoch = "\"1970-01-01T00:00:00Z\"";
        Assert.Equal(
            $$"""[{"values":[1001,1002],"statuses":["PRESENT","PRESENT"],"event_timestamps":[{{epoch}},{{epoch}}]},""" +
            $$"""{"values":[2,0],"statuses":["PRESENT","PRESENT"],"event_timestamps":[{{epoch}},{{epoch}}]},""" +
            $$"""{"values":[7,null],"statuses":["PRESENT","NOT_FOUND"],"event_timestamps":[{{epoch}},{{epoch}}]},""" +
            $$"""{"values":[0.625,null],"statuses":["PRESENT","NOT_FOUND"],"event_timestamps":[{{epoch}},{{epoch}}]},""" +
            $$"""{"values":[["silver","gold"],null],"statuses":["PRESENT","NOT_FOUND"],"event_timestamps":[{{epoch}},{{epoch}}]}]""",
            rest.Json.GetProperty("results").ToString());

        var grpc = await _factory!.GrpcClient().GetOnlineFeaturesAsync(new GetOnlineFeaturesRequest
        {
            Features = new FeatureList { Val = { "driver_aggs:count_1h", "driver_aggs:trips_sum_1h", "driver_aggs:conv_rate_avg_1h", "driver_aggs:tier_last_2_1h" } },
            Entities = { ["driver_id"] = new RepeatedValue { Val = { new Value { Int64Val = 1001 }, new Value { Int64Val = 1002 } } } },
        });
        Assert.Equal([2L, 0L], grpc.Results[1].Values.Select(v => v.Int64Val));
        Assert.Equal(7L, grpc.Results[2].Values[0].Int64Val);
        Assert.Equal(Value.ValOneofCase.NullVal, grpc.Results[2].Values[1].ValCase);
        Assert.Equal(0.625, grpc.Results[3].Values[0].DoubleVal);
        Assert.Equal(["silver", "gold"], grpc.Results[4].Values[0].StringListVal.Val);
        Assert.Equal([FieldStatus.Present, FieldStatus.NotFound], grpc.Results[4].Statuses);
    }

    [Fact]
    public async Task Push_EventFarInTheFuture_Returns400NamingTheRowAndWritesNothing()
    {
        var push = await PushAsync(Time(TimeSpan.FromMinutes(-1)), Time(TimeSpan.FromHours(1)));

        Assert.Equal(HttpStatusCode.BadRequest, push.Status);
        Assert.Contains("column 'event_timestamp', row 1: event time", push.Detail, StringComparison.Ordinal);
        Assert.Contains("is in the future, more than the allowed 5m after the clock", push.Detail, StringComparison.Ordinal);
        var rest = await Http.PostAsync(Client, "/get-online-features", Read);
        Assert.Equal("[0,0]", rest.Json.GetProperty("results")[1].GetProperty("values").ToString());
    }
}
