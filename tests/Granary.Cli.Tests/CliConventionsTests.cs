using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Granary.Cli.Tests;

/// <summary>
/// The conventions of docs/cli.md on the real executable: exit codes, <c>--format json</c>, NO_COLOR,
/// <c>--quiet</c> and <c>--verbose</c>, and shell completion.
/// </summary>
public sealed class CliConventionsTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-conv-" + Guid.NewGuid().ToString("N"));

    public CliConventionsTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        Write("granary.yaml", "project: conventions\n");
        Write("features.yaml", """
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
              - { name: trips, dtype: int64 }
            """);
        Write("data/driver_stats.csv", """
            driver_id,event_timestamp,trips
            1001,2021-04-12T08:00:00Z,10
            1001,2021-04-12T09:00:00Z,20
            1002,2021-04-12T07:00:00Z,50

            """);
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(_repo, relative), text);

    private Task<GranaryProcess.Result> Granary(params string[] args) => GranaryProcess.RunAsync(_repo, args);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("list")]
    [InlineData("get-historical-features", "--output", "x.csv", "--entities", "a.csv", "--all-entities", "--as-of", "2021-04-12T00:00:00Z")]
    [InlineData("materialize", "yesterday", "2021-04-13T00:00:00Z")]
    [InlineData("get-online-features", "--features", "driver_hourly_stats:trips")]
    public async Task UsageError_ExitsTwoWithOneLine(params string[] args)
    {
        var result = await Granary(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserError_UnknownView_ExitsOne()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);

        var result = await Granary("get-online-features", "--features", "nope:trips", "--entity", "driver_id=1001");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedCheck_PlanOfAViewWhoseColumnIsMissing_ExitsOne()
    {
        Write("features.yaml", File.ReadAllText(Path.Combine(_repo, "features.yaml")).Replace("name: trips", "name: rides", StringComparison.Ordinal));

        var result = await Granary("plan");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("rides", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_RedisOnlineStoreNobodyListensOn_ExitsThree()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);
        Write("granary.yaml", $"project: conventions\nonline_store: {{ type: redis, connection_string: \"127.0.0.1:{ClosedPort()},connectTimeout=300\" }}\n");

        var result = await Granary("get-online-features", "--features", "driver_hourly_stats:trips", "--entity", "driver_id=1001");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cannot reach the Redis online store", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_PostgresRegistryNobodyListensOn_ExitsThree()
    {
        var port = ClosedPort();
        Write("granary.yaml", $"project: conventions\nregistry: {{ type: sql, dialect: postgres, connection_string: \"Host=127.0.0.1;Port={port};Username=granary;Database=features;Timeout=2\" }}\n");

        var result = await Granary("plan");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: Failed to connect to 127.0.0.1:{port}\n", result.Stderr);
    }

    [Fact]
    public async Task PlanFormatJson_ListsWhatApplyWouldCreate()
    {
        var result = await Granary("plan", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("conventions", json.RootElement.GetProperty("project").GetString());
        Assert.True(json.RootElement.GetProperty("changes").GetBoolean());
        Assert.Equal(
            ["entity driver", "file_source driver_stats", "feature_view driver_hourly_stats"],
            json.RootElement.GetProperty("created").EnumerateArray().Select(c => $"{c.GetProperty("kind").GetString()} {c.GetProperty("name").GetString()}"));
        Assert.Empty(json.RootElement.GetProperty("deleted").EnumerateArray());
    }

    [Fact]
    public async Task ListAndDescribeFormatJson_TheRegistrysJsonForm()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);

        var list = await Granary("list", "feature-views", "--format", "json");
        var describe = await Granary("describe", "feature-view", "driver_hourly_stats", "--format", "json");

        Assert.Equal(0, list.ExitCode);
        using var views = JsonDocument.Parse(list.Stdout);
        var view = Assert.Single(views.RootElement.EnumerateArray());
        Assert.Equal("driver_hourly_stats", view.GetProperty("name").GetString());
        Assert.Equal(0, describe.ExitCode);
        using var described = JsonDocument.Parse(describe.Stdout);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(view.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(described.RootElement.GetRawText())));
    }

    [Fact]
    public async Task MaterializeFormatJson_RowsPerViewAndNothingElseOnStdout()
    {
        Assert.Equal(0, (await Granary("apply")).ExitCode);

        var result = await Granary("materialize", "2021-04-12T00:00:00Z", "2021-04-12T10:00:00Z", "--format", "json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var view = Assert.Single(json.RootElement.GetProperty("views").EnumerateArray());
        Assert.Equal("driver_hourly_stats", view.GetProperty("name").GetString());
        // One latest row per driver: 1001 and 1002.
        Assert.Equal(2, view.GetProperty("rows").GetInt64());
        Assert.Equal(DateTimeOffset.Parse("2021-04-12T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), view.GetProperty("end").GetDateTimeOffset());
    }

    [Fact]
    public async Task Quiet_ApplyAndTrainingData_PrintNothingButDoTheWork()
    {
        Write("orders.csv", "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n");

        var apply = await Granary("apply", "--quiet");
        var training = await Granary("get-historical-features", "-q", "--entities", "orders.csv", "--features", "driver_hourly_stats:trips", "--output", "training.csv");

        Assert.Equal((0, string.Empty), (apply.ExitCode, apply.Stdout));
        Assert.Equal((0, string.Empty), (training.ExitCode, training.Stdout));
        Assert.Equal("driver_id,event_timestamp,trips\n1001,2021-04-12T10:00:00.000000Z,20\n", File.ReadAllText(Path.Combine(_repo, "training.csv")));
    }

    [Fact]
    public async Task Verbose_Apply_PrintsTheStoresLogsOnStderr()
    {
        var result = await Granary("apply", "--verbose");

        Assert.Equal(0, result.ExitCode);
        // The core's "Applied project" (event 101) and the SQLite store's table preparation (event 2102).
        Assert.Contains("Applied project 'conventions' at registry version 1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Prepared SQLite tables of project 'conventions'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Prepared SQLite tables", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoColor_WinsOverForcedColors()
    {
        var colored = await GranaryProcess.RunAsync(_repo, new Dictionary<string, string?> { ["NO_COLOR"] = null, ["FORCE_COLOR"] = "1" }, "plan");
        var plain = await GranaryProcess.RunAsync(_repo, new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["FORCE_COLOR"] = "1" }, "plan");

        Assert.Contains("\u001b[", colored.Stdout, StringComparison.Ordinal);
        Assert.Contains("+ entity driver", plain.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", plain.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggest_PartialCommand_CompletesItsNames()
    {
        var result = await Granary("[suggest:11]", "granary mat");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["materialize", "materialize-incremental"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Suggest_KindArgument_CompletesTheKinds()
    {
        var result = await Granary("[suggest]", "granary list feature-");

        // System.CommandLine offers the values that contain the word typed.
        Assert.Equal(["feature-services", "feature-views", "on-demand-feature-views"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task BashCompletion_ScriptSourced_CompletesThroughTheExecutable()
    {
        var script = await Granary("completion", "bash");
        Assert.Equal(0, script.ExitCode);
        File.WriteAllText(Path.Combine(_repo, "completion.bash"), script.Stdout);
        var bash = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _repo,
            ArgumentList =
            {
                "-c",
                "source ./completion.bash; COMP_LINE='granary materialize-incremental --vi'; COMP_POINT=${#COMP_LINE}; _granary_complete; printf '%s\\n' \"${COMPREPLY[@]}\"",
            },
        };
        bash.Environment["PATH"] = GranaryProcess.Folder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(bash)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(["--views"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("zsh", "compdef _granary granary")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName granary")]
    public async Task Completion_OtherShells_ScriptsAskTheSuggestDirective(string shell, string hook)
    {
        var result = await Granary("completion", shell);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(hook, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("granary \"[suggest:", result.Stdout, StringComparison.Ordinal);
    }
}
