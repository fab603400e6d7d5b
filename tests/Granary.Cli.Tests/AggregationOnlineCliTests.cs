namespace Granary.Cli.Tests;

/// <summary>
/// An aggregation view through the real executable: apply, materialize (the summary counts entities
/// and events) and get-online-features. The window is long enough (10,000 days) that the 2021 events
/// are in it whenever the test runs, so the values below are worked out from the CSV alone.
/// </summary>
public sealed class AggregationOnlineCliTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-cli-agg-" + Guid.NewGuid().ToString("N"));

    public AggregationOnlineCliTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), "project: cli_agg\n");
        File.WriteAllText(Path.Combine(_repo, "features.yaml"), """
            kind: entity
            name: user
            join_keys: [user_id]
            ---
            kind: file_source
            name: txns
            path: data/txns.csv
            ---
            kind: aggregation_view
            name: txn
            entities: [user]
            source: txns
            aggregations:
              - { column: amount, function: sum, windows: [10000d] }
              - { function: count, windows: [10000d] }
            """);
        File.WriteAllText(Path.Combine(_repo, "data", "txns.csv"), """
            user_id,event_timestamp,amount
            1,2021-04-12T09:10:00Z,5.5
            1,2021-04-12T09:50:00Z,3.25
            2,2021-04-12T10:00:00Z,4.5

            """);
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Fact]
    public async Task MaterializeThenGetOnlineFeatures_CountsEntitiesAndServesTheSums()
    {
        var apply = await GranaryProcess.RunAsync(_repo, ["apply"]);
        Assert.True(apply.ExitCode == 0, apply.Stderr);

        var materialize = await GranaryProcess.RunAsync(_repo, ["materialize", "2021-04-12T00:00:00Z", "2021-04-13T00:00:00Z"]);
        Assert.True(materialize.ExitCode == 0, materialize.Stderr);
        Assert.Contains("txn: 2 entities from 3 events for 2021-04-12 00:00:00Z .. 2021-04-13 00:00:00Z", materialize.Stdout, StringComparison.Ordinal);

        var again = await GranaryProcess.RunAsync(_repo, ["materialize", "2021-04-12T00:00:00Z", "2021-04-13T00:00:00Z", "--format", "json"]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        var view = System.Text.Json.JsonDocument.Parse(again.Stdout).RootElement.GetProperty("views")[0];
        Assert.Equal((2, 3), (view.GetProperty("rows").GetInt32(), view.GetProperty("events").GetInt32()));

        var read = await GranaryProcess.RunAsync(_repo, ["get-online-features", "--features", "txn:amount_sum_10000d,txn:count_10000d", "--entity", "user_id=1", "--entity", "user_id=2", "--entity", "user_id=3"]);
        Assert.True(read.ExitCode == 0, read.Stderr);
        var json = System.Text.Json.JsonDocument.Parse(read.Stdout).RootElement.GetProperty("results");
        Assert.Equal(["8.75", "4.5", "null"], json[1].GetProperty("values").EnumerateArray().Select(v => v.GetRawText()));
        Assert.Equal(["2", "1", "0"], json[2].GetProperty("values").EnumerateArray().Select(v => v.GetRawText()));
    }
}
