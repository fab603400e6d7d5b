using System.Net;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Granary.Serving.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Granary.Server.Tests;

/// <summary>The real <c>granary serve</c> executable against a real redis-server, over HTTP and gRPC.</summary>
public sealed class ServeExecutableTests : IAsyncLifetime
{
    private const string ReaderKey = "reader-key-for-the-real-server";
    private const string WriterKey = "writer-key-for-the-real-server";

    private RedisProcess? _redis;
    private TestRepo? _repo;
    private ServeProcess? _server;

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _repo = new TestRepo(
            onlineStore: $"{{ type: redis, connection_string: \"{_redis.Endpoint}\" }}",
            featureServer: """
                feature_server:
                  api_keys:
                    - { env: TEST_GRANARY_READER, scopes: [read] }
                    - { env: TEST_GRANARY_WRITER, scopes: [read, write] }
                """);
        await _repo.ApplyAsync();
        _server = await ServeProcess.StartAsync(_repo.Path, new Dictionary<string, string>
        {
            ["TEST_GRANARY_READER"] = ReaderKey,
            ["TEST_GRANARY_WRITER"] = WriterKey,
        });
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _repo?.Dispose();
        _redis?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Push_ThenReadOverHttpAndGrpc_ValuesAndEventTimesMatchThePush()
    {
        using var http = new HttpClient { BaseAddress = _server!.RestAddress };

        // Two rows for 1002 in one push: the later event time wins, whatever the order.
        var push = await Http.PostAsync(http, "/push", """
            {"push_source_name": "driver_stats_push", "to": "online_and_offline",
             "df": {"driver_id": [1002, 1002, 1004],
                    "event_timestamp": ["2024-01-01T12:34:56.789Z", "2024-01-01T12:00:00Z", "2024-01-01T13:00:00Z"],
                    "conv_rate": [0.125, 0.5, 0.25], "trips": [21, 99, 4], "tier": ["gold", "bronze", null]}}
            """, WriterKey);
        var rest = await Http.PostAsync(http, "/get-online-features",
            """{"features": ["driver_hourly_stats:conv_rate", "driver_hourly_stats:trips", "driver_hourly_stats:tier"], "entities": {"driver_id": [1002, 1004]}}""", ReaderKey);
        using var channel = GrpcChannel.ForAddress(_server.GrpcAddress);
        var grpc = await new ServingService.ServingServiceClient(channel).GetOnlineFeaturesAsync(
            new GetOnlineFeaturesRequest
            {
                Features = new FeatureList { Val = { "driver_hourly_stats:conv_rate", "driver_hourly_stats:trips", "driver_hourly_stats:tier" } },
                Entities = { ["driver_id"] = new RepeatedValue { Val = { new Value { Int64Val = 1002 }, new Value { Int64Val = 1004 } } } },
            },
            new Metadata { { "x-api-key", ReaderKey } });

        Assert.True(push.Status == HttpStatusCode.OK, push.Body);
        Assert.Equal("""{"rows":3}""", push.Body);
        Assert.Equal(
            """[{"values":[1002,1004],"statuses":["PRESENT","PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]},""" +
            """{"values":[0.125,0.25],"statuses":["PRESENT","PRESENT"],"event_timestamps":["2024-01-01T12:34:56.789Z","2024-01-01T13:00:00Z"]},""" +
            """{"values":[21,4],"statuses":["PRESENT","PRESENT"],"event_timestamps":["2024-01-01T12:34:56.789Z","2024-01-01T13:00:00Z"]},""" +
            """{"values":["gold",null],"statuses":["PRESENT","NULL_VALUE"],"event_timestamps":["2024-01-01T12:34:56.789Z","2024-01-01T13:00:00Z"]}]""",
            rest.Json.GetProperty("results").ToString());
        Assert.Equal([0.125, 0.25], grpc.Results[1].Values.Select(v => v.DoubleVal));
        Assert.Equal([21L, 4L], grpc.Results[2].Values.Select(v => v.Int64Val));
        Assert.Equal(
            [Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 1, 12, 34, 56, 789, TimeSpan.Zero)), Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 1, 13, 0, 0, TimeSpan.Zero))],
            grpc.Results[3].EventTimestamps);
        Assert.Equal([FieldStatus.Present, FieldStatus.NullValue], grpc.Results[3].Statuses);
        Assert.Equal(2, Directory.GetFiles(_repo!.PartFolder, "*.parquet").Length);
    }

    [Fact]
    public async Task Serve_WithApiKeys_RejectsMissingKeyAndMissingScope()
    {
        using var http = new HttpClient { BaseAddress = _server!.RestAddress };
        const string read = """{"feature_service": "activity", "entities": {"driver_id": [1001]}}""";
        const string push = """{"push_source_name": "driver_stats_push", "df": {"driver_id": [1001], "event_timestamp": ["2024-01-01T12:00:00Z"], "conv_rate": [0.1], "trips": [1], "tier": ["a"]}}""";

        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.PostAsync(http, "/get-online-features", read)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.PostAsync(http, "/push", push, ReaderKey)).Status);
        var ok = await Http.PostAsync(http, "/get-online-features", read, ReaderKey);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(0.6, ok.Json.GetProperty("results")[1].GetProperty("values")[0].GetDouble());
        Assert.DoesNotContain(ReaderKey, _server.Output, StringComparison.Ordinal);
    }
}
