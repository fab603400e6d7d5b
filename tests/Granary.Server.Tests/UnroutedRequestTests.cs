using System.Net;

namespace Granary.Server.Tests;

/// <summary>Requests no endpoint takes: problem details like every other error, and the endpoints beside them unchanged.</summary>
public sealed class UnroutedRequestTests : InProcessServerTests
{
    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("POST", "/api/v1/nope/deeper")]
    [InlineData("GET", "/get-online-features/extra")]
    public async Task Request_UnknownRoute_Returns404Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Request-Id", "unrouted-1");

        using var response = await Client.SendAsync(request);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, body.GetProperty("status").GetInt32());
        Assert.Equal("not_found", body.GetProperty("kind").GetString());
        Assert.Equal($"no endpoint answers {method} {path}", body.GetProperty("detail").GetString());
        Assert.Equal("unrouted-1", body.GetProperty("request_id").GetString());
    }

    [Theory]
    [InlineData("GET", "/get-online-features", "POST")]
    [InlineData("PUT", "/push", "POST")]
    [InlineData("DELETE", "/health", "GET")]
    [InlineData("POST", "/api/v1/feature_views/driver_hourly_stats", "GET")]
    public async Task Request_WrongMethod_Returns405ProblemWithAllow(string method, string path, string allowed)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await Client.SendAsync(request);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([allowed], response.Content.Headers.Allow);
        Assert.Equal("method_not_allowed", body.GetProperty("kind").GetString());
        Assert.Equal($"{path} does not take {method}; it takes {allowed}", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task HealthAndMetrics_BesideUnroutedRequests_StillAnswer()
    {
        await Http.GetAsync(Client, "/nope");
        await Http.PostAsync(Client, "/health", "{}");

        var health = await Http.GetAsync(Client, "/health");
        var metrics = await Http.GetAsync(Client, "/metrics");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("application/json", health.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Contains("kind=\"not_found\"", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("kind=\"method_not_allowed\"", metrics.Body, StringComparison.Ordinal);
    }
}
