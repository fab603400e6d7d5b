using Granary.Testing;

namespace Granary.Cli.Tests;

/// <summary>The real executable on the repo that Granary 0.1 applied and materialized (tests/fixtures/release-0.1).</summary>
public sealed class Release01CliTests : IDisposable
{
    private readonly Release01Fixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Plan_RepoApplied01_ShowsNoChanges()
    {
        var before = await File.ReadAllTextAsync(_fixture.RegistryJsonPath);

        var plan = await GranaryProcess.RunAsync(_fixture.RepoPath, "plan");

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Equal("No changes.", plan.Stdout.Trim());
        Assert.Equal(before, await File.ReadAllTextAsync(_fixture.RegistryJsonPath));
    }

    [Fact]
    public async Task List_SourcesOfARegistryWrittenBy01_ShowsEveryKind()
    {
        var list = await GranaryProcess.RunAsync(_fixture.RepoPath, "list", "data-sources");

        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Equal(["driver_stats", "driver_stats_renamed", "driver_stats_push"], list.Stdout.Split('\n')
            .Select(line => line.Split('│', StringSplitOptions.TrimEntries)).Where(cells => cells.Length > 2 && cells[1].StartsWith("driver", StringComparison.Ordinal))
            .Select(cells => cells[1]));
        Assert.Contains("push, batch source:", list.Stdout, StringComparison.Ordinal);
    }
}
