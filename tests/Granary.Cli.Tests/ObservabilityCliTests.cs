using System.Text.Json;

namespace Granary.Cli.Tests;

/// <summary>
/// granary skew, stats, drift and dataset through the real executable on a temp repo: reads are served (and
/// logged) by get-online-features, the source then changes, and every figure below is worked out by hand from
/// the rows written here.
/// </summary>
public sealed class ObservabilityCliTests : IDisposable
{
    private const string Definitions = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: file_source
        name: stats
        path: data/stats.csv
        ---
        kind: feature_view
        name: hourly
        entities: [driver]
        source: stats
        schema:
          - { name: conv_rate, dtype: float64 }
          - { name: trips, dtype: int64 }
          - { name: city, dtype: string }
        ---
        kind: feature_service
        name: ranking
        features: [hourly]
        logging: { sample_rate: 1.0, path: data/logs }
        ---
        kind: feature_service
        name: unlogged
        features: [hourly]
        """;

    private const string Served = """
        driver_id,event_timestamp,conv_rate,trips,city
        1001,2021-04-12T08:00:00Z,0.5,10,paris
        1002,2021-04-12T08:00:00Z,0.25,20,rome

        """;

    // After serving: 1001 gets a newer row that was never materialized (stale online), 1002's 08:00 row is
    // rewritten (conv_rate only: value differs), 1003 still has no row (served null, offline null: a match).
    private const string Changed = """
        driver_id,event_timestamp,conv_rate,trips,city
        1001,2021-04-12T08:00:00Z,0.5,10,paris
        1001,2021-04-12T09:30:00Z,0.6,11,paris
        1002,2021-04-12T08:00:00Z,0.3,20,rome

        """;

    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-cli-obs-" + Guid.NewGuid().ToString("N"));

    public ObservabilityCliTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        Write("granary.yaml", "project: cli_obs\n");
        Write("features.yaml", Definitions);
        Write("data/stats.csv", Served);
        Write("orders.csv", "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1002,2021-04-12T10:00:00Z\n");
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(_repo, relative), text);

    private Task<GranaryProcess.Result> Granary(params string[] args) => GranaryProcess.RunAsync(_repo, args);

    private static async Task<GranaryProcess.Result> Ok(Task<GranaryProcess.Result> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result;
    }

    /// <summary>Applies, materializes the 08:00 rows, serves 1001, 1002 and 1003 (logged), then changes the source.</summary>
    private async Task ServeThenChangeAsync()
    {
        await Ok(Granary("apply"));
        await Ok(Granary("materialize", "2021-04-12T00:00:00Z", "2021-04-12T09:00:00Z"));
        await Ok(Granary("get-online-features", "--feature-service", "ranking", "-e", "driver_id=1001", "-e", "driver_id=1002", "-e", "driver_id=1003"));
        Write("data/stats.csv", Changed);
    }

    [Fact]
    public async Task Skew_StaleAndRewrittenRows_ReportsCausesAndExitsOneAboveTheRate()
    {
        await ServeThenChangeAsync();

        var failed = await Granary("skew", "--feature-service", "ranking", "--output", "skew.json");
        var passed = await Granary("skew", "--feature-service", "ranking", "--max-mismatch-rate", "0.7", "--format", "json");

        // conv_rate: 1001 0.5 (08:00) vs 0.6 (09:30) stale, 1002 0.25 vs 0.3 same 08:00 value differs, 1003 match: 2 of 3.
        // trips: 1001 10 vs 11 stale, 1002 20 = 20, 1003 match: 1 of 3. city: paris = paris, rome = rome: 0.
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("2 feature(s) above the mismatch rate 0: hourly__conv_rate, hourly__trips.", failed.Stdout);
        Assert.True(passed.ExitCode == 0, passed.Stderr);
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(_repo, "skew.json")));
        using var printed = JsonDocument.Parse(passed.Stdout);
        foreach (var report in new[] { file.RootElement, printed.RootElement })
        {
            Assert.Equal(["feature_service", "start", "end", "rows", "features"], report.EnumerateObject().Select(p => p.Name));
            Assert.Equal(("ranking", 3), (report.GetProperty("feature_service").GetString(), report.GetProperty("rows").GetInt32()));
            Assert.Equal(report.GetProperty("start").GetString(), report.GetProperty("end").GetString()); // one read
            var features = report.GetProperty("features").EnumerateArray().ToArray();
            Assert.Equal(["hourly__conv_rate", "hourly__trips", "hourly__city"], features.Select(f => f.GetProperty("feature").GetString()));
            var conv = features[0];
            Assert.Equal(
                ["feature", "compared", "matches", "mismatches", "mismatch_rate", "smape", "causes", "examples"],
                conv.EnumerateObject().Select(p => p.Name));
            Assert.Equal((3, 1, 2), (conv.GetProperty("compared").GetInt32(), conv.GetProperty("matches").GetInt32(), conv.GetProperty("mismatches").GetInt32()));
            Assert.Equal(2.0 / 3, conv.GetProperty("mismatch_rate").GetDouble(), 12);
            // 1001: 0.1 / 0.55; 1002: 0.05 / 0.275; both 2/11.
            Assert.Equal(2.0 / 11, conv.GetProperty("smape").GetDouble(), 12);
            Assert.Equal(
                [("value_differs", 1), ("stale_online", 1), ("online_only", 0), ("offline_only", 0)],
                conv.GetProperty("causes").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())));
            var example = conv.GetProperty("examples")[0];
            Assert.Equal(
                ["entity", "log_timestamp", "online", "offline", "online_event_timestamp", "offline_event_timestamp"],
                example.EnumerateObject().Select(p => p.Name));
            Assert.Equal((1001, 0.5, 0.6, "2021-04-12T08:00:00Z", "2021-04-12T09:30:00Z"), (
                example.GetProperty("entity").GetProperty("driver_id").GetInt32(), example.GetProperty("online").GetDouble(), example.GetProperty("offline").GetDouble(),
                example.GetProperty("online_event_timestamp").GetString(), example.GetProperty("offline_event_timestamp").GetString()));
            // trips: 1001: 1 / 10.5, 1002: 0.
            Assert.Equal((1, 1.0 / 21), (features[1].GetProperty("mismatches").GetInt32(), features[1].GetProperty("smape").GetDouble()));
            Assert.Equal(0, features[2].GetProperty("mismatches").GetInt32());
        }
    }

    [Fact]
    public async Task Skew_HtmlOutput_WritesOneSelfContainedPage()
    {
        await ServeThenChangeAsync();

        var result = await Granary("skew", "--feature-service", "ranking", "--output", "reports/skew.html", "--max-mismatch-rate", "1");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var html = File.ReadAllText(Path.Combine(_repo, "reports", "skew.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);
        Assert.Empty(Directory.GetFiles(Path.Combine(_repo, "reports"), "*.tmp"));
    }

    [Fact]
    public async Task Skew_ServiceWithoutLogging_ExitsOneSayingHowToTurnItOn()
    {
        await Ok(Granary("apply"));

        var result = await Granary("skew", "--feature-service", "unlogged");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: feature service 'unlogged' has no logging; add logging: { sample_rate: 1.0 } to it, apply, and serve reads first", result.Stderr.Trim());
    }

    [Fact]
    public async Task Stats_AllRows_GivesHandWorkedFigures()
    {
        await ServeThenChangeAsync();

        var result = await Ok(Granary("stats", "--features", "hourly:trips,hourly:city", "--output", "stats.json"));

        Assert.Contains("Wrote stats.json.", result.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_repo, "stats.json")));
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToArray();
        var trips = features[0];
        Assert.Equal(
            ["feature", "count", "nulls", "null_rate", "distinct", "min", "max", "mean", "stddev", "quantiles", "histogram", "top"],
            trips.EnumerateObject().Select(p => p.Name));
        // trips 10, 11, 20: mean 41/3; squared deviations 121/9 + 64/9 + 361/9 = 546/9, over 2: 91/3.
        Assert.Equal((3, 0, 3, 10.0, 20.0), (trips.GetProperty("count").GetInt32(), trips.GetProperty("nulls").GetInt32(), trips.GetProperty("distinct").GetInt32(), trips.GetProperty("min").GetDouble(), trips.GetProperty("max").GetDouble()));
        Assert.Equal(41.0 / 3, trips.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(Math.Sqrt(91.0 / 3), trips.GetProperty("stddev").GetDouble(), 12);
        // Linear interpolation at (n - 1) p: p01 at 0.02 (10.02), p25 at 0.5 (10.5), p50 at 1 (11), p75 at 1.5 (15.5), p99 at 1.98 (19.82).
        var quantiles = trips.GetProperty("quantiles");
        Assert.Equal([10.02, 10.5, 11, 15.5, 19.82], new[] { "p01", "p25", "p50", "p75", "p99" }.Select(p => Math.Round(quantiles.GetProperty(p).GetDouble(), 9)));
        var histogram = trips.GetProperty("histogram");
        Assert.Equal(21, histogram.GetProperty("edges").GetArrayLength());
        Assert.Equal(3, histogram.GetProperty("counts").EnumerateArray().Sum(c => c.GetInt32()));
        var city = features[1];
        Assert.Equal([("paris", 2), ("rome", 1)], city.GetProperty("top").EnumerateArray().Select(t => (t.GetProperty("value").GetString(), t.GetProperty("count").GetInt32())));
        Assert.Equal(JsonValueKind.Null, city.GetProperty("mean").ValueKind);
    }

    [Fact]
    public async Task Drift_DisjointCities_IsDriftAndExitsOne()
    {
        await ServeThenChangeAsync();

        var same = await Granary("drift", "--reference", "source:..2021-04-12T08:30:00Z", "--current", "source:..2021-04-12T08:30:00Z", "--features", "hourly:city,hourly:trips", "--format", "json");
        var moved = await Granary("drift", "--reference", "source:..2021-04-12T08:30:00Z", "--current", "source:2021-04-12T09:00:00Z..", "--features", "hourly:city,hourly:trips", "--output", "drift.json");

        Assert.True(same.ExitCode == 0, same.Stderr);
        using (var json = JsonDocument.Parse(same.Stdout))
        {
            Assert.All(json.RootElement.GetProperty("features").EnumerateArray(), f =>
                Assert.Equal((0.0, "ok"), (f.GetProperty("psi").GetDouble(), f.GetProperty("status").GetString())));
        }

        Assert.Equal(1, moved.ExitCode);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_repo, "drift.json")));
        var features = report.RootElement.GetProperty("features").EnumerateArray().ToArray();
        var city = features[0];
        Assert.Equal(["feature", "kind", "psi", "ks_d", "ks_p", "js", "status"], city.EnumerateObject().Select(p => p.Name));
        // Reference paris, rome (1/2 each); current paris only (1, rome empty: epsilon 1e-4).
        var psi = (0.5 * Math.Log(2)) + ((1e-4 - 0.5) * Math.Log(1e-4 / 0.5));
        Assert.Equal(("categorical", "drift"), (city.GetProperty("kind").GetString(), city.GetProperty("status").GetString()));
        Assert.Equal(psi, city.GetProperty("psi").GetDouble(), 9);
        // M = (3/4, 1/4): KL(ref || M) = 1/2 log2(2/3) + 1/2 log2(2), KL(cur || M) = log2(4/3); the distance is the root of their mean.
        var js = Math.Sqrt(((0.5 * Math.Log2(2.0 / 3)) + 0.5 + Math.Log2(4.0 / 3)) / 2);
        Assert.Equal(js, city.GetProperty("js").GetDouble(), 9);
        // trips: reference 10, 20; current 11. The reference's deciles put 10 and 11 in the first bin, 20 in the last: the same PSI.
        // KS: at 11 the reference's CDF is 1/2 and the current's 1: D = 1/2; p at λ = (√(2/3) + 0.12 + 0.11/√(2/3)) / 2 = 0.53561:
        // 2 (e^-2λ² - e^-8λ² + e^-18λ² - e^-32λ²) = 2 (0.563424 - 0.100764 + 0.005722 - 0.000103) = 0.93656.
        var trips = features[1];
        Assert.Equal(("numeric", 0.5), (trips.GetProperty("kind").GetString(), trips.GetProperty("ks_d").GetDouble()));
        Assert.Equal(psi, trips.GetProperty("psi").GetDouble(), 9);
        Assert.InRange(trips.GetProperty("ks_p").GetDouble(), 0.93656 - 1e-4, 0.93656 + 1e-4);
        Assert.Equal(JsonValueKind.Null, trips.GetProperty("js").ValueKind);
    }

    [Fact]
    public async Task Dataset_CreateVerifyChangeDelete_ReportsTheChangedColumn()
    {
        await ServeThenChangeAsync();

        await Ok(Granary("dataset", "create", "train_v1", "--entities", "orders.csv", "--feature-service", "ranking"));
        var list = await Ok(Granary("dataset", "list", "--format", "json"));
        var describe = await Ok(Granary("dataset", "describe", "train_v1"));
        var verified = await Granary("dataset", "verify", "train_v1");
        Write("data/stats.csv", Changed.Replace("1002,2021-04-12T08:00:00Z,0.3", "1002,2021-04-12T08:00:00Z,0.35", StringComparison.Ordinal));
        var changed = await Granary("dataset", "verify", "train_v1");
        var drift = await Granary("drift", "--reference", "dataset:train_v1", "--current", "dataset:train_v1", "--feature-service", "ranking", "--format", "json");
        await Ok(Granary("dataset", "delete", "train_v1"));
        var gone = await Granary("dataset", "describe", "train_v1");

        using (var json = JsonDocument.Parse(list.Stdout))
        {
            Assert.Equal(["train_v1"], json.RootElement.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        }

        using (var manifest = JsonDocument.Parse(describe.Stdout))
        {
            var root = manifest.RootElement;
            // At 10:00: 1001's 09:30 row and 1002's 08:00 row.
            Assert.Equal((2, "data/datasets/train_v1/data.parquet", "orders.csv"), (root.GetProperty("rows").GetInt32(), root.GetProperty("path").GetString(), root.GetProperty("entities").GetProperty("path").GetString()));
            Assert.Equal(["hourly:conv_rate", "hourly:trips", "hourly:city"], root.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
            Assert.Equal(64, root.GetProperty("sha256").GetString()!.Length);
            var profile = root.GetProperty("profile").EnumerateArray().First();
            Assert.Equal(("hourly__conv_rate", 0.45), (profile.GetProperty("feature").GetString(), Math.Round(profile.GetProperty("mean").GetDouble(), 12)));
        }

        Assert.True(verified.ExitCode == 0, verified.Stderr);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("dataset 'train_v1' changed: 2 rows recorded, 2 recomputed.", changed.Stdout);
        Assert.Contains("  hourly__conv_rate: 1 rows differ", changed.Stdout);
        Assert.DoesNotContain("hourly__trips", changed.Stdout);
        Assert.True(drift.ExitCode == 0, drift.Stderr);
        Assert.Contains("\"reference\": \"dataset train_v1\"", drift.Stdout);
        Assert.False(File.Exists(Path.Combine(_repo, "data", "datasets", "train_v1", "data.parquet")));
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal("error: project 'cli_obs' has no dataset 'train_v1' (granary dataset list shows those it has)", gone.Stderr.Trim());
    }

    [Theory]
    [InlineData(2, "--max-mismatch-rate: '2' is not a rate; expected a number from 0 to 1", "skew", "--feature-service", "ranking", "--max-mismatch-rate", "2")]
    [InlineData(2, "--start: 'yesterday' is not a time; expected ISO-8601", "skew", "--feature-service", "ranking", "--start", "yesterday")]
    [InlineData(2, "--output: 'skew.txt' must end with .html or .json", "skew", "--feature-service", "ranking", "--output", "skew.txt")]
    [InlineData(2, "Option '--feature-service' is required.", "skew")]
    [InlineData(2, "give exactly one of --features view:feature,... or --feature-service NAME", "stats")]
    [InlineData(2, "--end: 2021-01-01 is before --start 2021-02-01", "stats", "--feature-service", "ranking", "--start", "2021-02-01", "--end", "2021-01-01")]
    [InlineData(2, "--reference: 'yesterday' is not a spec; expected source:START..END, dataset:NAME or logs:SERVICE[:START..END]", "drift", "--reference", "yesterday", "--current", "logs:ranking", "--feature-service", "ranking")]
    [InlineData(2, "--current: 'source:2021-01-01' needs a range START..END", "drift", "--reference", "logs:ranking", "--current", "source:2021-01-01", "--feature-service", "ranking")]
    [InlineData(1, "unknown feature view 'nope'", "stats", "--features", "nope:x")]
    [InlineData(1, "project 'cli_obs' has no dataset 'nope'", "drift", "--reference", "dataset:nope", "--current", "logs:ranking", "--feature-service", "ranking")]
    [InlineData(2, "give exactly one of --entities FILE, --entities-sql QUERY or --all-entities --as-of TIME", "dataset", "create", "d1", "--feature-service", "ranking")]
    [InlineData(1, "dataset name '1bad' must start with a letter or underscore", "dataset", "create", "1bad", "--entities", "orders.csv", "--feature-service", "ranking")]
    [InlineData(1, "project 'cli_obs' has no dataset 'nope'", "dataset", "verify", "nope")]
    [InlineData(1, "project 'cli_obs' has no dataset 'nope'", "dataset", "delete", "nope")]
    public async Task BadInput_NamesTheFieldAndExitsNonZeroWithoutAStackTrace(int exitCode, string message, params string[] args)
    {
        await Ok(Granary("apply"));

        var result = await Granary(args);

        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
