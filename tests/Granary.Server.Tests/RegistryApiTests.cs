using System.Net;

namespace Granary.Server.Tests;

/// <summary>The read-only registry API, the OpenAPI document, /metrics and registry hot reload.</summary>
public sealed class RegistryApiTests : InProcessServerTests
{

    [Fact]
    public async Task FeatureView_AfterMaterializeOnTheServer_ShowsTheNewEnd()
    {
        var materialize = await Http.PostAsync(Client, "/materialize-incremental", """{"end_ts": "2024-01-03T00:00:00Z"}""");

        var answer = await Http.GetAsync(Client, "/api/v1/feature_views/driver_hourly_stats");

        Assert.Equal(HttpStatusCode.OK, materialize.Status);
        Assert.Equal("2024-01-03T00:00:00Z", answer.Json.GetProperty("materialized_until").GetString());
    }

    [Fact]
    public async Task FeatureView_ByName_HasFieldsTagsAndMaterializedEnd()
    {
        var answer = await Http.GetAsync(Client, "/api/v1/feature_views/driver_hourly_stats");
        var view = answer.Json;

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("feature_view", view.GetProperty("kind").GetString());
        Assert.Equal(["conv_rate:float64", "trips:int64", "tier:string"],
            view.GetProperty("schema").EnumerateArray().Select(f => $"{f.GetProperty("name").GetString()}:{f.GetProperty("dtype").GetString()}"));
        Assert.Equal("drivers", view.GetProperty("tags").GetProperty("team").GetString());
        Assert.Equal("2024-01-02T00:00:00Z", view.GetProperty("materialized_until").GetString());
    }

    [Fact]
    public async Task DataSources_List_HasEveryKindWithItsType()
    {
        var answer = await Http.GetAsync(Client, "/api/v1/data_sources");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["driver_stats:file", "driver_stats_push:push"],
            answer.Json.GetProperty("data_sources").EnumerateArray().Select(s => $"{s.GetProperty("name").GetString()}:{s.GetProperty("type").GetString()}"));
    }

    [Fact]
    public async Task EntitiesServicesAndProjects_List_NameTheObjects()
    {
        var entities = await Http.GetAsync(Client, "/api/v1/entities");
        var services = await Http.GetAsync(Client, "/api/v1/feature_services/activity");
        var projects = await Http.GetAsync(Client, "/api/v1/projects");

        Assert.Equal(["driver_id"], entities.Json.GetProperty("entities")[0].GetProperty("join_keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("driver_hourly_stats", services.Json.GetProperty("features")[0].GetProperty("view").GetString());
        var project = projects.Json.GetProperty("projects").EnumerateArray().Single();
        Assert.Equal(Repo.Project, project.GetProperty("name").GetString());
        Assert.Equal(1, project.GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("/api/v1/entities/nope", "no entity named 'nope' in project")]
    [InlineData("/api/v1/feature_views?project=nope", "no project 'nope' in the registry")]
    [InlineData("/api/v1/projects/nope", "no project 'nope' in the registry")]
    public async Task Registry_Unknown_Returns404(string path, string expected)
    {
        var answer = await Http.GetAsync(Client, path);

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.StartsWith(expected, answer.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesEveryRestEndpoint()
    {
        var answer = await Http.GetAsync(Client, "/openapi/granary.json");
        var paths = answer.Json.GetProperty("paths");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        foreach (var path in new[] { "/get-online-features", "/push", "/write-to-online-store", "/materialize", "/materialize-incremental", "/health", "/api/v1/projects", "/api/v1/feature_views/{name}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.True(paths.GetProperty("/push").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task Metrics_AfterRequests_ExposeLatencyStoreAndErrorSeries()
    {
        await Http.PostAsync(Client, "/get-online-features", """{"feature_service": "activity", "entities": {"driver_id": [1001]}}""");
        await Http.PostAsync(Client, "/get-online-features", """{"feature_service": "nope", "entities": {"driver_id": [1001]}}""");

        var metrics = (await Http.GetAsync(Client, "/metrics")).Body;

        Assert.Contains("http_server_request_duration_seconds_count{", metrics, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/get-online-features\"", metrics, StringComparison.Ordinal);
        Assert.Contains("granary_online_store_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("operation=\"read\"", metrics, StringComparison.Ordinal);
        Assert.Contains("granary_server_errors_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("kind=\"not_found\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ChangedRepoWhileServing_NextRequestsSeeNewFeature()
    {
        const string read = """{"features": ["driver_hourly_stats:double_trips"], "entities": {"driver_id": [1001]}}""";
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsync(Client, "/get-online-features", read)).Status);

        // A second feature over the same source column, applied from another FeatureStore (as `granary apply` would).
        Repo.WriteDefinitions(TestRepo.Definitions.Replace(
            "  - { name: tier, dtype: string }", "  - { name: tier, dtype: string }\n  - { name: double_trips, dtype: float64 }", StringComparison.Ordinal));
        await AddColumnAsync();
        await Repo.ApplyAsync(materialize: false);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        Http.Answer answer;
        do
        {
            await Task.Delay(ServerFactory.PollInterval);
            answer = await Http.PostAsync(Client, "/get-online-features", read);
        }
        while (answer.Status != HttpStatusCode.OK && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("NOT_FOUND", answer.Json.GetProperty("results")[1].GetProperty("statuses")[0].GetString()); // applied, not yet materialized
        Assert.Equal(2, (await Http.GetAsync(Client, "/health")).Json.GetProperty("registry_version").GetInt64());
    }

    /// <summary>Rewrites the source's part file with a double_trips column (= 2 x trips).</summary>
    private async Task AddColumnAsync()
    {
        var part = Path.Combine(Repo.PartFolder, "part-initial.parquet");
        var next = Path.Combine(Repo.PartFolder, "next.tmp");
        using (var duck = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"COPY (SELECT *, (trips * 2)::DOUBLE AS double_trips FROM read_parquet('{part}')) TO '{next}' (FORMAT parquet)";
            await command.ExecuteNonQueryAsync();
        }

        File.Move(next, part, overwrite: true);
    }
}
