using System.Globalization;
using System.Text.Json;
using Granary.Serving.V1;
using Grpc.Core;

namespace Granary.Server.Tests;

/// <summary>
/// Every failure a read can meet, sent through REST and through gRPC: both protocols must give it the same
/// meaning (HTTP status and kind, gRPC status code) and the same detail wherever the text does not depend
/// on the protocol. A new case is one line of <see cref="Table"/>.
/// </summary>
public sealed class ErrorMeaningTests(ErrorMeaningTests.Servers servers) : IClassFixture<ErrorMeaningTests.Servers>
{
    private const string Reader = "reader-key-0123456789";
    private const string Writer = "writer-key-0123456789";

    /// <summary>
    /// The cases, with the meaning each must have. A null detail is not compared: it comes from a store
    /// client or from the transport, and differs between the protocols or between runs.
    /// </summary>
    private static readonly Dictionary<string, Case> Table = new()
    {
        ["unknown feature view"] = new(Read(["nope:x"]), 404, "not_found", StatusCode.NotFound, "unknown feature view 'nope'"),
        ["unknown feature"] = new(Read(["driver_hourly_stats:nope"]), 404, "not_found", StatusCode.NotFound, "feature view 'driver_hourly_stats' has no feature 'nope'; it has conv_rate, trips, tier"),
        ["unknown feature service"] = new(Service("nope"), 404, "not_found", StatusCode.NotFound, "unknown feature service 'nope'"),
        ["malformed reference"] = new(Read(["driver_hourly_stats"]), 400, "bad_request", StatusCode.InvalidArgument, "feature reference 'driver_hourly_stats' must have the form view:feature"),
        ["missing join key"] = new(Service("activity", ("driver", [1001L])), 400, "bad_request", StatusCode.InvalidArgument, "entity rows have no column 'driver_id', a join key of the requested features"),
        ["wrong key type"] = new(Service("activity", ("driver_id", ["abc"])), 400, "bad_request", StatusCode.InvalidArgument, "entity column 'driver_id' has value 'abc', which is not int64"),
        ["ragged entity columns"] = new(Service("activity", ("driver_id", [1001L, 1002L]), ("val_to_add", [1L])), 400, "bad_request", StatusCode.InvalidArgument, "entity columns have different lengths: driver_id: 2, val_to_add: 1"),
        ["too many entity rows"] = new(Service("activity", ("driver_id", [1L, 2L, 3L, 4L])), 400, "bad_request", StatusCode.InvalidArgument, "'entities.driver_id' has 4 rows; the limit is 3 (max_entities)"),
        ["request too large"] = new(Service("activity", ("driver_id", Ids(600))), 413, "payload_too_large", StatusCode.ResourceExhausted, null),
        ["missing API key"] = new(Service("activity") with { Key = null }, 401, "unauthorized", StatusCode.Unauthenticated, "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"),
        ["invalid API key"] = new(Service("activity") with { Key = "reader-key-0123456788" }, 401, "unauthorized", StatusCode.Unauthenticated, "the API key is not valid"),
        ["insufficient scope"] = new(Service("activity") with { Key = Writer }, 403, "forbidden", StatusCode.PermissionDenied, "the API key lacks the 'read' scope"),
        ["store down"] = new(Service("activity") with { Store = Store.Down }, 503, "unavailable", StatusCode.Unavailable, null),
        ["store timeout"] = new(Service("activity") with { Store = Store.Paused }, 503, "unavailable", StatusCode.Unavailable, "the stores did not answer within 300 ms"),
    };

    public static TheoryData<string> Cases => [.. Table.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GetOnlineFeatures_FailureOverRestAndGrpc_HasTheSameMeaning(string name)
    {
        var expected = Table[name];
        var server = servers.For(expected.Request.Store);

        var rest = await Http.PostAsync(server.Rest, "/get-online-features", expected.Request.Json(), expected.Request.Key);
        var grpc = await Assert.ThrowsAsync<RpcException>(() =>
            server.Grpc.GetOnlineFeaturesAsync(expected.Request.Proto(), expected.Request.Metadata()).ResponseAsync);

        Assert.Equal(expected.Status, (int)rest.Status);
        Assert.Equal("application/problem+json", rest.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected.Kind, rest.Json.GetProperty("kind").GetString());
        Assert.Equal(expected.Grpc, grpc.StatusCode);
        if (expected.Detail is null)
        {
            Assert.False(string.IsNullOrWhiteSpace(rest.Detail));
            Assert.False(string.IsNullOrWhiteSpace(grpc.Status.Detail));
        }
        else
        {
            Assert.Equal(expected.Detail, rest.Detail);
            Assert.Equal(expected.Detail, grpc.Status.Detail);
        }
    }

    private static Request Read(string[] features) => new(features, null, [("driver_id", [1001L])]);

    private static Request Service(string name, params (string Column, object[] Values)[] entities) =>
        new(null, name, entities.Length == 0 ? [("driver_id", [1001L])] : entities);

    private static object[] Ids(int count) => Enumerable.Range(1001, count).Select(i => (object)(long)i).ToArray();

    public enum Store
    {
        /// <summary>SQLite, with the limits max_entities 3 and max_body_bytes 2,048.</summary>
        Up,

        /// <summary>Redis that was stopped after the server connected to it.</summary>
        Down,

        /// <summary>Redis whose clients are paused (CLIENT PAUSE), with a read timeout of 300 ms.</summary>
        Paused,
    }

    private sealed record Case(Request Request, int Status, string Kind, StatusCode Grpc, string? Detail);

    /// <summary>One read, written once and sent as Feast's JSON body and as the gRPC message.</summary>
    private sealed record Request(string[]? Features, string? FeatureService, (string Column, object[] Values)[] Entities)
    {
        public string? Key { get; init; } = Reader;

        public Store Store { get; init; } = Store.Up;

        public string Json() => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["features"] = Features,
            ["feature_service"] = FeatureService,
            ["entities"] = Entities.ToDictionary(e => e.Column, e => e.Values),
        });

        public GetOnlineFeaturesRequest Proto()
        {
            var request = new GetOnlineFeaturesRequest();
            if (FeatureService is not null)
            {
                request.FeatureService = FeatureService;
            }

            if (Features is not null)
            {
                request.Features = new FeatureList { Val = { Features } };
            }

            foreach (var (column, values) in Entities)
            {
                request.Entities[column] = new RepeatedValue { Val = { values.Select(ToValue) } };
            }

            return request;
        }

        public Metadata Metadata() => Key is null ? new Metadata() : new Metadata { { "authorization", "Bearer " + Key } };

        private static Value ToValue(object value) => value switch
        {
            long l => new Value { Int64Val = l },
            string s => new Value { StringVal = s },
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };
    }

    /// <summary>The three servers the cases run against, started once for the class.</summary>
    public sealed class Servers : IAsyncLifetime
    {
        private readonly List<TestRepo> _repos = [];
        private readonly List<ServerFactory> _factories = [];
        private RedisProcess? _down;
        private RedisProcess? _paused;
        private readonly Dictionary<Store, Server> _servers = [];

        public Server For(Store store) => _servers[store];

        public async Task InitializeAsync()
        {
            _servers[Store.Up] = await StartAsync(new TestRepo(), o =>
            {
                o.MaxEntities = 3;
                o.MaxBodyBytes = 2048;
            });

            _down = await RedisProcess.StartAsync();
            _servers[Store.Down] = await StartAsync(RedisRepo(_down), _ => { });
            _down.Dispose();

            _paused = await RedisProcess.StartAsync();
            _servers[Store.Paused] = await StartAsync(RedisRepo(_paused), o => o.ReadTimeout = TimeSpan.FromMilliseconds(300));
            await _paused.CliAsync("CLIENT", "PAUSE", (10 * 60 * 1000).ToString(CultureInfo.InvariantCulture), "ALL");
        }

        public async Task DisposeAsync()
        {
            foreach (var factory in _factories)
            {
                await factory.DisposeAsync();
            }

            _repos.ForEach(r => r.Dispose());
            _paused?.Dispose();
        }

        private TestRepo RedisRepo(RedisProcess redis) => new(onlineStore: $"{{ type: redis, connection_string: \"{redis.Endpoint}\" }}");

        /// <summary>Applies the repo, starts a server with the test keys and reads once, so that the store is connected.</summary>
        private async Task<Server> StartAsync(TestRepo repo, Action<GranaryServerOptions> configure)
        {
            _repos.Add(repo);
            await repo.ApplyAsync();
            var factory = new ServerFactory(repo, o =>
            {
                o.ApiKeys.Add(new ApiKey("READER", Reader, FeatureServerScopes.Read));
                o.ApiKeys.Add(new ApiKey("WRITER", Writer, FeatureServerScopes.Write));
                configure(o);
            });
            _factories.Add(factory);
            var server = new Server(factory.CreateClient(), factory.GrpcClient());
            var warmUp = await Http.PostAsync(server.Rest, "/get-online-features", """{"feature_service": "activity", "entities": {"driver_id": [1001]}}""", Reader);
            Assert.True(warmUp.Status == System.Net.HttpStatusCode.OK, warmUp.Body);
            return server;
        }
    }

    public sealed record Server(HttpClient Rest, ServingService.ServingServiceClient Grpc);
}
