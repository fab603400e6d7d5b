using System.Diagnostics;
using Xunit.Abstractions;

namespace Granary.Cli.Tests.Faults;

/// <summary>
/// A full disk during <c>apply</c> and <c>materialize</c>, on a 4 MB tmpfs filled to the last byte: one line naming the
/// problem, no stack trace, nothing half-written, and the same commands succeed once there is room. Mounting needs
/// root (CI runs as root); elsewhere the test says so in its output and passes without running.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DiskFullTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _mount = Directory.CreateTempSubdirectory("granary-full-").FullName;
    private bool _mounted;

    private string Repo => Path.Combine(_mount, "repo");

    private string Filler => Path.Combine(_mount, "filler");

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", "-l", _mount);
        }

        Directory.Delete(_mount, recursive: true);
    }

    [Fact]
    public async Task ApplyAndMaterialize_DiskFull_OneLineErrorNothingHalfWrittenThenSucceed()
    {
        if (!Mount())
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(Repo, "data"));
        File.WriteAllText(Path.Combine(Repo, "granary.yaml"), "project: full_test\n");
        File.WriteAllText(Path.Combine(Repo, "features.yaml"), """
            kind: entity
            name: driver
            join_keys: [driver_id]
            ---
            kind: file_source
            name: stats
            path: data/stats.csv
            timestamp_field: event_timestamp
            ---
            kind: feature_view
            name: stats_view
            entities: [driver]
            source: stats
            ttl: 0
            schema:
              - { name: trips, dtype: int64 }
            """);
        File.WriteAllText(Path.Combine(Repo, "data", "stats.csv"), "driver_id,event_timestamp,trips\n1001,2024-01-01T10:00:00Z,7\n");

        Fill();
        var fullApply = await GranaryProcess.RunAsync(Repo, "apply");
        // The online store is checked (and its file created) before the registry is written: either refuses first.
        AssertOneLineError(fullApply);
        Assert.False(File.Exists(Path.Combine(Repo, "data", "registry.json")), "a registry was written on a full disk");
        Assert.Empty(Directory.GetFiles(Path.Combine(Repo, "data"), "*.tmp"));

        File.Delete(Filler);
        var apply = await GranaryProcess.RunAsync(Repo, "apply");
        Assert.True(apply.ExitCode == 0, apply.Stderr);

        Fill();
        var fullMaterialize = await GranaryProcess.RunAsync(Repo, "materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
        AssertOneLineError(fullMaterialize);

        File.Delete(Filler);
        var materialize = await GranaryProcess.RunAsync(Repo, "materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
        var read = await GranaryProcess.RunAsync(Repo, "get-online-features", "--features", "stats_view:trips", "--entity", "driver_id=1001", "--format", "table");
        Assert.True(materialize.ExitCode == 0, materialize.Stderr);
        Assert.Contains("7", read.Stdout, StringComparison.Ordinal);
    }

    private static void AssertOneLineError(GranaryProcess.Result result)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Matches("^error: .*(No space left on device|disk is full|disk I/O error)", result.Stderr);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Mounts the tmpfs; false, with a visible message, when this process may not.</summary>
    private bool Mount()
    {
        if (Environment.UserName != "root")
        {
            Skipped("not running as root, so no tmpfs can be mounted");
            return false;
        }

        var (code, error) = Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", _mount);
        if (code != 0)
        {
            Skipped($"mount -t tmpfs failed: {error}");
            return false;
        }

        _mounted = true;
        return true;
    }

    private void Skipped(string why)
    {
        var message = $"SKIPPED {nameof(DiskFullTests)}: {why}; the disk-full behaviour was not tested here.";
        output.WriteLine(message);
        Console.WriteLine(message);
    }

    /// <summary>Writes a file until the disk refuses another byte.</summary>
    private void Fill()
    {
        using var filler = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                filler.Write(block);
                filler.Flush();
            }
        }
        catch (IOException)
        {
            // Full: now a byte at a time, to leave no room at all.
            block = new byte[1];
            try
            {
                while (true)
                {
                    filler.Write(block);
                    filler.Flush();
                }
            }
            catch (IOException)
            {
            }
        }
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
