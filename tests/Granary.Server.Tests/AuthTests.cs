using System.Net;
using Grpc.Core;

namespace Granary.Server.Tests;

/// <summary>API keys with scopes: 401 without a valid key, 403 for a missing scope, open health and metrics.</summary>
public sealed class AuthTests : InProcessServerTests
{
    private const string Reader = "reader-key-0123456789";
    private const string Writer = "writer-key-0123456789";
    private const string Admin = "admin-key-01234567890";
    private const string Read = """{"feature_service": "activity", "entities": {"driver_id": [1001]}}""";

    protected override void Configure(GranaryServerOptions options)
    {
        options.ApiKeys.Add(new ApiKey("READER", Reader, FeatureServerScopes.Read));
        options.ApiKeys.Add(new ApiKey("WRITER", Writer, FeatureServerScopes.Write));
        options.ApiKeys.Add(new ApiKey("ADMIN", Admin, FeatureServerScopes.Read | FeatureServerScopes.Write | FeatureServerScopes.Admin));
    }

    [Fact]
    public async Task Read_NoKey_Returns401WithBearerChallenge()
    {
        var answer = await Http.PostAsync(Client, "/get-online-features", Read);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("Bearer", answer.Response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("unauthorized", answer.Json.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Read_WrongKey_Returns401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.PostAsync(Client, "/get-online-features", Read, "reader-key-0123456788")).Status);
    }

    [Fact]
    public async Task Read_ReaderKey_Returns200()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(Client, "/get-online-features", Read, Reader)).Status);
    }

    [Fact]
    public async Task Read_WriterKey_Returns403NamingScope()
    {
        var answer = await Http.PostAsync(Client, "/get-online-features", Read, Writer);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("the API key lacks the 'read' scope", answer.Detail);
    }

    [Fact]
    public async Task Push_ReaderKey_Returns403AndWriterKeyPasses()
    {
        const string push = """{"push_source_name": "driver_stats_push", "df": {"driver_id": [1001], "event_timestamp": ["2024-01-01T12:00:00Z"], "conv_rate": [0.1], "trips": [1], "tier": ["a"]}}""";

        Assert.Equal(HttpStatusCode.Forbidden, (await Http.PostAsync(Client, "/push", push, Reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(Client, "/push", push, Writer)).Status);
    }

    [Fact]
    public async Task Materialize_WriterKey_Returns403AndAdminKeyPasses()
    {
        const string body = """{"start_ts": "2024-01-01T00:00:00Z", "end_ts": "2024-01-02T00:00:00Z"}""";

        Assert.Equal(HttpStatusCode.Forbidden, (await Http.PostAsync(Client, "/materialize", body, Writer)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(Client, "/materialize", body, Admin)).Status);
    }

    [Fact]
    public async Task RegistryApi_XApiKeyHeader_IsAccepted()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.GetAsync(Client, "/api/v1/feature_views")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(Client, "/api/v1/feature_views", Reader)).Status);
    }

    [Fact]
    public async Task HealthMetricsAndOpenApi_NoKey_AreOpen()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(Client, "/health")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(Client, "/metrics")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(Client, "/openapi/granary.json")).Status);
    }

    [Fact]
    public async Task Grpc_NoKeyThenReaderKey_UnauthenticatedThenOk()
    {
        var client = Factory.GrpcClient();
        var request = GrpcTests.Request1001();

        var denied = await Assert.ThrowsAsync<RpcException>(() => client.GetOnlineFeaturesAsync(request).ResponseAsync);
        var allowed = await client.GetOnlineFeaturesAsync(request, new Metadata { { "authorization", "Bearer " + Reader } });

        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);
        Assert.Equal(4, allowed.Results.Count);
    }
}
