using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Granary.Cli.Tests;

/// <summary>
/// <c>granary apply</c> when something other than the definitions is wrong: the online store cannot be reached or
/// has an unknown type. Nothing may be written to the registry then, and an apply without changes writes nothing at all.
/// </summary>
public sealed class ApplyFaultTests : IDisposable
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
        """;

    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-apply-" + Guid.NewGuid().ToString("N"));

    public ApplyFaultTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        Write("granary.yaml", "project: apply_test\n");
        Write("features.yaml", Definitions);
        Write("data/driver_stats.csv", "driver_id,event_timestamp,conv_rate\n1001,2021-04-12T08:00:00Z,0.1\n");
    }

    private string RegistryFile => Path.Combine(_repo, "data", "registry.json");

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Fact]
    public async Task Apply_NoChanges_KeepsTheVersionAndSaysSo()
    {
        var first = await GranaryProcess.RunAsync(_repo, "apply");
        var second = await GranaryProcess.RunAsync(_repo, "apply");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("No changes.", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("at registry version 1.", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, RegisteredVersion());
    }

    [Fact]
    public async Task Apply_OnlineStoreUnreachable_WritesNoRegistry()
    {
        Write("granary.yaml", $"project: apply_test\nonline_store: {{ type: redis, connection_string: \"127.0.0.1:{ClosedPort()}\" }}\n");

        var result = await GranaryProcess.RunAsync(_repo, "apply");

        Assert.Equal(3, result.ExitCode); // unreachable, docs/cli.md
        Assert.Contains("error: the online store failed: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("; nothing was written", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(RegistryFile), "the registry was written by a failed apply");
    }

    [Fact]
    public async Task Apply_OnlineStoreOfUnknownType_WritesNoRegistry()
    {
        Write("granary.yaml", "project: apply_test\nonline_store:\n  type: nosuch\n");

        var result = await GranaryProcess.RunAsync(_repo, "apply");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: granary.yaml:3:9: online_store.type: unknown type 'nosuch'", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(RegistryFile), "the registry was written by a failed apply");
    }

    [Fact]
    public async Task Apply_ChangeWhileOnlineStoreUnreachable_KeepsTheRegisteredVersion()
    {
        var first = await GranaryProcess.RunAsync(_repo, "apply");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Write("granary.yaml", $"project: apply_test\nonline_store: {{ type: redis, connection_string: \"127.0.0.1:{ClosedPort()}\" }}\n");
        Write("features.yaml", Definitions + "\n---\nkind: feature_service\nname: activity\nfeatures: [driver_hourly_stats]\n");

        var second = await GranaryProcess.RunAsync(_repo, "apply");

        Assert.Equal(3, second.ExitCode); // unreachable
        Assert.Equal(1, RegisteredVersion());
        Assert.DoesNotContain("activity", File.ReadAllText(RegistryFile), StringComparison.Ordinal);
    }

    private long RegisteredVersion()
    {
        using var registry = JsonDocument.Parse(File.ReadAllText(RegistryFile));
        return registry.RootElement.GetProperty("projects").GetProperty("apply_test").GetProperty("version").GetInt64();
    }

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(_repo, relative), text);

    /// <summary>A loopback port nothing listens on: bound, read and released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
