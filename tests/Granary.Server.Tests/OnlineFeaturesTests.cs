using System.Net;

namespace Granary.Server.Tests;

/// <summary>POST /get-online-features in process on SQLite: the Feast response body and every error case.</summary>
public sealed class OnlineFeaturesTests : InProcessServerTests
{

    protected override void Configure(GranaryServerOptions options)
    {
        options.MaxEntities = 3;
        options.MaxBodyBytes = 2048;
    }

    [Fact]
    public async Task GetOnlineFeatures_FeatureService_ReturnsFeastBodyWithLatestValues()
    {
        var answer = await Http.PostAsync(Client, "/get-online-features", """{"feature_service": "activity", "entities": {"driver_id": [1001, 1002, 1003]}}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.Response.Content.Headers.ContentType!.MediaType);
        // 1001: the 11:00 row; 1002: the 09:00 row; 1003 has no row. Join keys are echoed with Feast's epoch time.
        Assert.Equal(
            """{"metadata":{"feature_names":["driver_id","conv_rate","trips","tier"]},"results":[""" +
            """{"values":[1001,1002,1003],"statuses":["PRESENT","PRESENT","PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]},""" +
            """{"values":[0.6,0.9,null],"statuses":["PRESENT","PRESENT","NOT_FOUND"],"event_timestamps":["2024-01-01T11:00:00Z","2024-01-01T09:00:00Z","1970-01-01T00:00:00Z"]},""" +
            """{"values":[11,20,null],"statuses":["PRESENT","PRESENT","NOT_FOUND"],"event_timestamps":["2024-01-01T11:00:00Z","2024-01-01T09:00:00Z","1970-01-01T00:00:00Z"]},""" +
            """{"values":["gold","silver",null],"statuses":["PRESENT","PRESENT","NOT_FOUND"],"event_timestamps":["2024-01-01T11:00:00Z","2024-01-01T09:00:00Z","1970-01-01T00:00:00Z"]}]}""",
            answer.Body);
    }

    [Fact]
    public async Task GetOnlineFeatures_ReferencesWithFullNamesAndRequestField_NamesViewAndIgnoresExtraColumn()
    {
        var answer = await Http.PostAsync(Client, "/get-online-features",
            """{"features": ["driver_hourly_stats:trips"], "entities": {"driver_id": ["1002"], "val_to_add": [7]}, "full_feature_names": true}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(
            """{"metadata":{"feature_names":["driver_id","driver_hourly_stats__trips"]},"results":[""" +
            // The join key comes back as its entity's type (int64), however the request wrote it: as the CLI prints it.
            """{"values":[1002],"statuses":["PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z"]},""" +
            """{"values":[20],"statuses":["PRESENT"],"event_timestamps":["2024-01-01T09:00:00Z"]}]}""",
            answer.Body);
    }

    [Theory]
    [InlineData("""{"feature_service": "activity", "entities": {"driver_id": ["abc"]}}""", "entity column 'driver_id' has value 'abc', which is not int64")]
    [InlineData("""{"feature_service": "activity", "entities": {"driver_id": [1001, 1002], "val_to_add": [1]}}""", "entity columns have different lengths: driver_id: 2, val_to_add: 1")]
    [InlineData("""{"feature_service": "activity", "entities": {"driver": [1001]}}""", "entity rows have no column 'driver_id'")]
    [InlineData("""{"feature_service": "activity"}""", "'entities' is required")]
    [InlineData("""{"feature_service": "activity", "entities": {"driver_id": 1001}}""", "'entities.driver_id' must be a list of values")]
    [InlineData("""{"feature_service": "activity", "entities": {"driver_id": [1, 2, 3, 4]}}""", "'entities.driver_id' has 4 rows; the limit is 3 (max_entities)")]
    [InlineData("""{"feature_service": "activity", "features": ["driver_hourly_stats:trips"], "entities": {"driver_id": [1]}}""", "give either feature references or a feature service, not both")]
    [InlineData("""[1, 2]""", "the request body must be a JSON object")]
    [InlineData("""{"feature_service": """, "malformed JSON")]
    public async Task GetOnlineFeatures_BadRequest_Returns400ProblemNamingTheField(string body, string expected)
    {
        var answer = await Http.PostAsync(Client, "/get-online-features", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(expected, answer.Detail, StringComparison.Ordinal);
        Assert.Equal(400, answer.Json.GetProperty("status").GetInt32());
        Assert.Equal("bad_request", answer.Json.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("""{"feature_service": "nope", "entities": {"driver_id": [1001]}}""", "unknown feature service 'nope'")]
    [InlineData("""{"features": ["nope:x"], "entities": {"driver_id": [1001]}}""", "unknown feature view 'nope'")]
    [InlineData("""{"features": ["driver_hourly_stats:trips", "driver_hourly_stats:nope"], "entities": {"driver_id": [1001]}}""", "feature view 'driver_hourly_stats' has no feature 'nope'; it has conv_rate, trips, tier")]
    public async Task GetOnlineFeatures_UnknownServiceViewOrFeature_Returns404AsFeastDoes(string body, string expected)
    {
        var answer = await Http.PostAsync(Client, "/get-online-features", body);

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("not_found", answer.Json.GetProperty("kind").GetString());
        Assert.Equal(expected, answer.Detail);
    }

    [Theory]
    [InlineData("entity value", """{"feature_service": "activity", "entities": {"driver_id": ["\xFF"]}}""")]
    [InlineData("entity column name", """{"feature_service": "activity", "entities": {"driver\xC3": [1001]}}""")]
    [InlineData("feature reference", """{"features": ["driver_hourly_stats:\xE2\x82"], "entities": {"driver_id": [1001]}}""")]
    [InlineData("feature service", """{"feature_service": "\xF0\x28\x8C\x28", "entities": {"driver_id": [1001]}}""")]
    public async Task GetOnlineFeatures_InvalidUtf8_Returns400ProblemNamingIt(string where, string body)
    {
        // \xNN in the text stands for one raw byte: the body is not UTF-8 where it appears.
        var bytes = System.Text.RegularExpressions.Regex.Split(body, @"(\\x[0-9A-F]{2})")
            .SelectMany(part => part.StartsWith(@"\x", StringComparison.Ordinal)
                ? [Convert.ToByte(part[2..], 16)]
                : System.Text.Encoding.UTF8.GetBytes(part))
            .ToArray();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await Client.PostAsync("/get-online-features", content);
        var text = await response.Content.ReadAsStringAsync();
        var problem = System.Text.Json.JsonDocument.Parse(text).RootElement;

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{where}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bad_request", problem.GetProperty("kind").GetString());
        Assert.StartsWith("the request body is not valid UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOnlineFeatures_BodyOverLimit_Returns413AndKeepsServing()
    {
        var ids = string.Join(",", Enumerable.Repeat("1001", 600)); // 3,000 bytes of ids alone, over the 2,048 limit

        var tooLarge = await Http.PostAsync(Client, "/get-online-features", $$$"""{"feature_service": "activity", "entities": {"driver_id": [{{{ids}}}]}}""");
        var next = await Http.PostAsync(Client, "/get-online-features", """{"feature_service": "activity", "entities": {"driver_id": [1001]}}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Contains("2,048", tooLarge.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Fact]
    public async Task GetOnlineFeatures_AfterManyBadRequests_StillServes()
    {
        foreach (var body in new[] { "{", "null", """{"entities": {}}""", """{"feature_service": "nope", "entities": {"driver_id": [1]}}""" })
        {
            Assert.NotEqual(HttpStatusCode.OK, (await Http.PostAsync(Client, "/get-online-features", body)).Status);
        }

        var answer = await Http.PostAsync(Client, "/get-online-features", """{"features": ["driver_hourly_stats:tier"], "entities": {"driver_id": [1001]}}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("\"gold\"", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithRequestId_EchoesItInHeaderAndProblem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/get-online-features") { Content = new StringContent("{") };
        request.Headers.Add("X-Request-Id", "trace-42");

        using var response = await Client.SendAsync(request);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("trace-42", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("trace-42", body.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Health_StoresUp_Returns200WithRegistryVersion()
    {
        var answer = await Http.GetAsync(Client, "/health");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal($$"""{"status":"ok","project":"{{Repo.Project}}","registry_version":1}""", answer.Body);
    }
}
