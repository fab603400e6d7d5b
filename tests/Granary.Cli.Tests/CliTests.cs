namespace Granary.Cli.Tests;

/// <summary>The real executable on a temp repo; expected outputs are worked out by hand from the files written here.</summary>
public sealed class CliTests : IDisposable
{
    private const string Definitions = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: file_source
        name: driver_stats
        path: data/driver_stats.csv
        timestamp_field: event_timestamp
        ---
        kind: feature_view
        name: driver_hourly_stats
        entities: [driver]
        source: driver_stats
        ttl: 2h
        schema:
          - { name: conv_rate, dtype: float32 }
          - { name: trips, dtype: int64 }
        ---
        kind: feature_service
        name: activity
        features: [driver_hourly_stats]
        """;

    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-cli-" + Guid.NewGuid().ToString("N"));

    public CliTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        Write("granary.yaml", "project: cli_test\n");
        Write("features.yaml", Definitions);
        Write("data/driver_stats.csv", """
            driver_id,event_timestamp,conv_rate,trips
            1001,2021-04-12T08:00:00Z,0.1,10
            1001,2021-04-12T09:00:00Z,0.2,20
            1002,2021-04-12T07:00:00Z,0.5,50

            """);
        Write("orders.csv", """
            driver_id,event_timestamp,label
            1001,2021-04-12T10:00:00Z,1
            1002,2021-04-12T10:00:00Z,0
            1001,2021-04-12T08:30:00Z,1
            1003,2021-04-12T10:00:00Z,0

            """);
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(_repo, relative), text);

    private Task<GranaryProcess.Result> Granary(params string[] args) => GranaryProcess.RunAsync(_repo, args);

    private static void AssertUserError(GranaryProcess.Result result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyThenGetHistoricalFeatures_WritesPointInTimeCorrectCsv()
    {
        var apply = await Granary("apply");
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        Assert.Contains("+ feature_view driver_hourly_stats", apply.Stdout, StringComparison.Ordinal);

        var result = await Granary("get-historical-features", "--entities", "orders.csv", "--features", "driver_hourly_stats:conv_rate,driver_hourly_stats:trips", "--output", "training.csv");

        Assert.True(result.ExitCode == 0, result.Stderr);
        // 1001@10:00 takes the 09:00 row; 1002's 07:00 row is 3h old, beyond the 2h ttl; 1001@08:30 takes 08:00; 1003 has no rows.
        Assert.Equal(
            """
            driver_id,event_timestamp,label,conv_rate,trips
            1001,2021-04-12T10:00:00.000000Z,1,0.2,20
            1002,2021-04-12T10:00:00.000000Z,0,,
            1001,2021-04-12T08:30:00.000000Z,1,0.1,10
            1003,2021-04-12T10:00:00.000000Z,0,,

            """,
            File.ReadAllText(Path.Combine(_repo, "training.csv")));
    }

    [Fact]
    public async Task GetHistoricalFeatures_FeatureServiceWithFullNames_ToParquet()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);

        var result = await Granary("get-historical-features", "--entities", "orders.csv", "--feature-service", "activity", "--full-feature-names", "--output", "training.parquet");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Wrote 4 rows", result.Stdout, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(_repo, "training.parquet")).Length > 0);
    }

    [Fact]
    public async Task Plan_AfterApply_ShowsNoChangesAndChangesNothing()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        var registry = File.ReadAllText(Path.Combine(_repo, "data", "registry.json"));

        var plan = await Granary("plan");

        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("No changes.", plan.Stdout, StringComparison.Ordinal);
        Assert.Equal(registry, File.ReadAllText(Path.Combine(_repo, "data", "registry.json")));
    }

    [Fact]
    public async Task Apply_MalformedYaml_NamesFileAndLineAndWritesNothing()
    {
        Write("broken.yaml", "kind: entity\nname: e: f\n");

        var result = await Granary("apply");

        AssertUserError(result, "broken.yaml:2:");
        Assert.False(File.Exists(Path.Combine(_repo, "data", "registry.json")));
    }

    [Fact]
    public async Task Apply_MissingSourceColumn_NamesViewAndColumn()
    {
        Write("features.yaml", Definitions.Replace("name: trips, dtype: int64", "name: rating, dtype: float64", StringComparison.Ordinal));

        var result = await Granary("apply");

        AssertUserError(result, "features.yaml:10:1: feature_view 'driver_hourly_stats': source 'driver_stats' has no column 'rating'");
        Assert.False(File.Exists(Path.Combine(_repo, "data", "registry.json")));
    }

    [Fact]
    public async Task Apply_WrongColumnType_SaysWhatWasExpected()
    {
        Write("features.yaml", Definitions.Replace("name: trips, dtype: int64", "name: trips, dtype: string", StringComparison.Ordinal));

        var result = await Granary("apply");

        AssertUserError(result, "column 'trips' of source 'driver_stats' is BIGINT, but the feature 'trips' needs string");
    }

    [Fact]
    public async Task Apply_MissingSourceFile_NamesThePath()
    {
        File.Delete(Path.Combine(_repo, "data", "driver_stats.csv"));

        var result = await Granary("apply");

        AssertUserError(result, "'data/driver_stats.csv' matches no file");
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityFileWithoutJoinKey_FailsNamingIt()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        Write("bad_orders.csv", "driver,event_timestamp\n1001,2021-04-12T10:00:00Z\n");

        var result = await Granary("get-historical-features", "--entities", "bad_orders.csv", "--feature-service", "activity", "--output", "out.csv");

        AssertUserError(result, "no column 'driver_id'");
        Assert.False(File.Exists(Path.Combine(_repo, "out.csv")));
    }

    [Fact]
    public async Task GetHistoricalFeatures_BeforeApply_SaysToApply()
    {
        var result = await Granary("get-historical-features", "--entities", "orders.csv", "--feature-service", "activity", "--output", "out.csv");

        AssertUserError(result, "run 'granary apply' first");
    }

    [Fact]
    public async Task ListAndDescribe_ShowRegisteredObjects()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);

        var list = await Granary("list", "feature-views");
        var describe = await Granary("describe", "entity", "driver");

        Assert.Contains("driver_hourly_stats", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("ttl: 2h", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"join_keys\"", describe.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_CreatesRepoThatAppliesAndProducesTrainingData()
    {
        var parent = Path.Combine(_repo, "scratch");
        Directory.CreateDirectory(parent);

        var init = await GranaryProcess.RunAsync(parent, "init", "demo");
        var repo = Path.Combine(parent, "demo");
        var apply = await GranaryProcess.RunAsync(repo, "apply");
        var training = await GranaryProcess.RunAsync(repo, "get-historical-features", "--entities", "data/driver_orders.csv", "--feature-service", "driver_activity", "--output", "training.csv");

        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        Assert.True(training.ExitCode == 0, training.Stderr);
        var lines = File.ReadAllLines(Path.Combine(repo, "training.csv"));
        Assert.Equal("driver_id,event_timestamp,order_is_success,conv_rate,acc_rate,avg_daily_trips", lines[0]);
        Assert.Equal(21, lines.Length);
        // Driver 1099 has no statistics at all.
        Assert.EndsWith(",,,", lines.Single(l => l.StartsWith("1099,", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryMigrate_FileToSqliteSqlRegistry_KeepsEverything()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        Write("granary.yaml", "project: cli_test\nregistry:\n  type: sql\n  dialect: sqlite\n  path: data/registry.db\n");

        var migrate = await Granary("registry", "migrate");
        var plan = await Granary("plan");
        var again = await Granary("registry", "migrate");

        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        Assert.Contains("Migrated 1 projects: cli_test.", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("No changes.", plan.Stdout, StringComparison.Ordinal);
        AssertUserError(again, "project 'cli_test' is already in the target registry");
    }

    [Fact]
    public async Task Init_TrailingSlash_CreatesTheFolder()
    {
        var result = await Granary("init", "with_slash/");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(File.Exists(Path.Combine(_repo, "with_slash", "granary.yaml")));
    }

    [Fact]
    public async Task Serve_SamePortTwice_FailsWithOneLine()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);

        var result = await Granary("serve", "--port", "7411", "--grpc-port", "7411");

        // Options that do not go together: a usage error (docs/cli.md's exit codes).
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--port and --grpc-port must differ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsEveryCommand()
    {
        var help = await Granary("--help");

        foreach (var command in new[] { "init", "plan", "apply", "teardown", "list", "describe", "get-historical-features", "materialize", "get-online-features", "version" })
        {
            Assert.Contains(command, help.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetHistoricalFeatures_OutputIsAFolder_FailsWithOneLine()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        Directory.CreateDirectory(Path.Combine(_repo, "training.parquet"));

        var result = await Granary("get-historical-features", "--entities", "orders.csv", "--feature-service", "activity", "--output", "training.parquet");

        AssertUserError(result, "error: output 'training.parquet' is a folder; name a .parquet or .csv file to write");
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_repo, "training.parquet")));
    }

    [Fact]
    public async Task GetHistoricalFeatures_OutputIsTheEntityInput_IsRefusedEvenWithForce()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        var before = File.ReadAllText(Path.Combine(_repo, "orders.csv"));

        var result = await Granary("get-historical-features", "--entities", "orders.csv", "--feature-service", "activity", "--output", "./orders.csv", "--force");

        AssertUserError(result, "output './orders.csv' is the entity input (--entities); refusing to overwrite it, name another file");
        Assert.Equal(before, File.ReadAllText(Path.Combine(_repo, "orders.csv")));
    }

    [Fact]
    public async Task GetHistoricalFeatures_OutputIsASourceFile_IsRefusedEvenWithForce()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        var before = File.ReadAllText(Path.Combine(_repo, "data", "driver_stats.csv"));

        var result = await Granary("get-historical-features", "--entities", "orders.csv", "--feature-service", "activity", "--output", "data/driver_stats.csv", "--force");

        AssertUserError(result, "output 'data/driver_stats.csv' is a file of file_source 'driver_stats' (data/driver_stats.csv); refusing to overwrite it");
        Assert.Equal(before, File.ReadAllText(Path.Combine(_repo, "data", "driver_stats.csv")));
    }

    [Fact]
    public async Task GetHistoricalFeatures_ExistingOutput_IsReplacedOnlyWithForce()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        Write("training.csv", "precious\n");

        var refused = await Granary("get-historical-features", "--entities", "orders.csv", "--feature-service", "activity", "--output", "training.csv");
        var kept = File.ReadAllText(Path.Combine(_repo, "training.csv"));
        var forced = await Granary("get-historical-features", "--entities", "orders.csv", "--feature-service", "activity", "--output", "training.csv", "--force");

        AssertUserError(refused, "error: output 'training.csv' exists; use --force to replace it");
        Assert.Equal("precious\n", kept);
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.StartsWith("driver_id,event_timestamp,label,conv_rate,trips\n", File.ReadAllText(Path.Combine(_repo, "training.csv")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.csv", "", "is empty; expected a header line naming the columns, then one line per entity row")]
    [InlineData("header_only.csv", "driver_id,event_timestamp\n", "has a header (line 1: driver_id,event_timestamp) but no rows; expected one line per entity row after it")]
    [InlineData("more.csv", "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1001,2021-04-12T10:00:00Z,1\n", "line 3: 3 fields, but the header (line 1) has 2: driver_id, event_timestamp")]
    [InlineData("fewer.csv", "driver_id,event_timestamp\n1001\n", "line 2: 1 field, but the header (line 1) has 2: driver_id, event_timestamp")]
    [InlineData("no_header.csv", "1001,2021-04-12T10:00:00Z\n1002,2021-04-12T10:00:00Z\n", "line 1, column 1: '1001' is a value, not a column name; the first line must name the columns")]
    [InlineData("bad_time.csv", "driver_id,event_timestamp\n1001,yesterday\n", "line 2, column 2 (event_timestamp): 'yesterday' is not an ISO-8601 time")]
    public async Task GetHistoricalFeatures_BadEntityFile_NamesFileAndLine(string name, string text, string expected)
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        Write(name, text);

        var result = await Granary("get-historical-features", "--entities", name, "--feature-service", "activity", "--output", "out.csv");

        AssertUserError(result, $"error: entity file '{Path.Combine(_repo, name)}' ");
        AssertUserError(result, expected);
        Assert.False(File.Exists(Path.Combine(_repo, "out.csv")));
    }

    [Fact]
    public async Task GetHistoricalFeatures_EntityFileNotUtf8_NamesLineAndByte()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        File.WriteAllBytes(Path.Combine(_repo, "latin1.csv"), [.. "driver_id,event_timestamp,city\n1001,2021-04-12T10:00:00Z,Z"u8, 0xFC, .. "rich\n"u8]);

        var result = await Granary("get-historical-features", "--entities", "latin1.csv", "--feature-service", "activity", "--output", "out.csv");

        AssertUserError(result, $"error: entity file '{Path.Combine(_repo, "latin1.csv")}' line 2, character 28: byte 0xFC is not UTF-8; save the file as UTF-8");
    }

    [Fact]
    public async Task GetOnlineFeatures_EntitiesFile_ReadsKeysThroughTheEntityFileReader()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        Write("keys.csv", "driver_id\n1001\n\"1002\"\n");
        Write("ragged_keys.csv", "driver_id\n1001,1\n");

        var result = await Granary("get-online-features", "--features", "driver_hourly_stats:trips", "--entities", "keys.csv");
        var ragged = await Granary("get-online-features", "--features", "driver_hourly_stats:trips", "--entities", "ragged_keys.csv");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        var keys = json.RootElement.GetProperty("results")[0].GetProperty("values");
        Assert.Equal([1001L, 1002L], keys.EnumerateArray().Select(v => v.GetInt64()));
        AssertUserError(ragged, $"error: entity file '{Path.Combine(_repo, "ragged_keys.csv")}' line 2: 2 fields, but the header (line 1) has 1: driver_id");
    }
}
