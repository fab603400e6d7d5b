using System.Text.Json;

namespace Granary.Cli.Tests;

/// <summary><c>get-online-features --format json</c> prints what the REST endpoint answers, join keys included.</summary>
public sealed class OnlineJsonTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-json-" + Guid.NewGuid().ToString("N"));

    public OnlineJsonTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), "project: json_test\n");
        File.WriteAllText(Path.Combine(_repo, "features.yaml"), """
            kind: entity
            name: driver
            join_keys: [driver_id]
            value_type: int64
            ---
            kind: entity
            name: city
            join_keys: [city_code]
            value_type: string
            ---
            kind: file_source
            name: stats
            path: data/stats.csv
            timestamp_field: event_timestamp
            ---
            kind: feature_view
            name: driver_city
            entities: [driver, city]
            source: stats
            ttl: 36500d
            schema:
              - { name: trips, dtype: int64 }
            """);
        File.WriteAllText(Path.Combine(_repo, "data", "stats.csv"), "driver_id,city_code,event_timestamp,trips\n1001,sfo,2021-04-12T08:00:00Z,7\n");
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Fact]
    public async Task GetOnlineFeatures_JoinKeysFromTheCommandLine_PrintedAsTheirEntityTypes()
    {
        foreach (var args in new[] { new[] { "apply" }, ["materialize", "2021-04-12T00:00:00Z", "2021-04-13T00:00:00Z"] })
        {
            var step = await GranaryProcess.RunAsync(_repo, args);
            Assert.True(step.ExitCode == 0, step.Stderr);
        }

        var result = await GranaryProcess.RunAsync(_repo, "get-online-features", "--features", "driver_city:trips", "--entity", "driver_id=1001,city_code=sfo");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var results = json.RootElement.GetProperty("results");
        // As POST /get-online-features answers {"driver_id": [1001], "city_code": ["sfo"]}: an int64 key a number, a string key a string.
        Assert.Equal(JsonValueKind.Number, results[0].GetProperty("values")[0].ValueKind);
        Assert.Equal(1001, results[0].GetProperty("values")[0].GetInt64());
        Assert.Equal("sfo", results[1].GetProperty("values")[0].GetString());
        Assert.Equal(7, results[2].GetProperty("values")[0].GetInt64());
    }
}
