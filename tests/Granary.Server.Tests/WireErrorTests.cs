using System.Text;
using Granary.Serving.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Granary.Server.Tests;

/// <summary>
/// The real <c>granary serve</c> on Kestrel, fed what HttpClient and gRPC clients do not send on their own: bodies
/// cut short, malformed chunks, messages over the limit, unknown routes. Each must end with an answer that names
/// the problem, as the caller's fault, never as a store outage.
/// </summary>
public sealed class WireErrorTests(WireErrorTests.Served served) : IClassFixture<WireErrorTests.Served>
{
    [Theory]
    // 100 bytes announced, 31 sent: Kestrel gives up on the rest once it arrives slower than its minimum data
    // rate (after a grace period of 5 seconds) and fails the body's read.
    [InlineData("Content-Length: 100", """{"feature_service": "activity",""")]
    // A chunk size must be hexadecimal.
    [InlineData("Transfer-Encoding: chunked", "zz\r\n{}\r\n0\r\n\r\n")]
    public async Task Post_BodyThatCannotBeRead_Returns400ProblemNotCountedAsStoreOutage(string framing, string body)
    {
        var answer = await RawHttp.PostAsync(
            served.Server.RestAddress, "/get-online-features", $"Content-Type: application/json\r\n{framing}\r\n", Encoding.ASCII.GetBytes(body));
        var metrics = await served.MetricsAsync();

        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal("bad_request", answer.Json.GetProperty("kind").GetString());
        Assert.StartsWith("the request body could not be read: ", answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("kind=\"unavailable\"", metrics, StringComparison.Ordinal);
        Assert.Contains("kind=\"bad_request\"", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/nope", 404, "not_found")]
    [InlineData("GET", "/get-online-features", 405, "method_not_allowed")]
    public async Task Request_NoEndpointTakesIt_AnswersProblem(string method, string path, int status, string kind)
    {
        var answer = await RawHttp.SendAsync(served.Server.RestAddress, method, path);

        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(kind, answer.Json.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData(1_000)] // 5,000 bytes: within one HTTP/2 flow-control window
    [InlineData(400_000)] // 2 MB: many windows
    public async Task Grpc_MessageOverMaxBodyBytes_EndsWithResourceExhaustedAndAMessage(int values)
    {
        using var channel = GrpcChannel.ForAddress(served.Server.GrpcAddress);
        var client = new ServingService.ServingServiceClient(channel);
        // Values of 1001 to 1999 take 5 bytes each, so the message is about 5 x values bytes, over max_body_bytes (2,048).
        var request = new GetOnlineFeaturesRequest
        {
            FeatureService = "activity",
            Entities = { ["driver_id"] = new RepeatedValue { Val = { Enumerable.Range(0, values).Select(i => new Value { Int64Val = 1001 + (i % 999) }) } } },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetOnlineFeaturesAsync(request).ResponseAsync);
        var next = await client.GetOnlineFeaturesAsync(GrpcTests.Request1001());

        Assert.True(error.StatusCode == StatusCode.ResourceExhausted, error.Status.ToString());
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        Assert.Equal(4, next.Results.Count);
    }

    /// <summary>One server for the class, with a small body limit so that messages over it stay small.</summary>
    public sealed class Served : IAsyncLifetime
    {
        private readonly TestRepo _repo = new(featureServer: """
            feature_server:
              max_body_bytes: 2048
            """);

        private ServeProcess? _server;

        public ServeProcess Server => _server ?? throw new InvalidOperationException("the server starts in InitializeAsync");

        public async Task InitializeAsync()
        {
            await _repo.ApplyAsync();
            _server = await ServeProcess.StartAsync(_repo.Path);
        }

        public Task DisposeAsync()
        {
            _server?.Dispose();
            _repo.Dispose();
            return Task.CompletedTask;
        }

        public async Task<string> MetricsAsync()
        {
            using var http = new HttpClient { BaseAddress = Server.RestAddress };
            return (await Http.GetAsync(http, "/metrics")).Body;
        }
    }
}
