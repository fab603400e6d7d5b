using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Granary.Cli.Tests.Faults;

/// <summary>
/// <c>granary materialize</c> killed with SIGKILL part way, then run again: the online store ends equal to one
/// materialized in a single run. Each transaction of the SQLite store is whole or absent, and writes never replace a
/// newer row, so a rerun converges.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class KilledMaterializationTests : IDisposable
{
    private const int Drivers = 20_000;
    private const int HoursPerDriver = 10;
    private readonly string _killed = Repo("killed");
    private readonly string _clean = Repo("clean");

    public void Dispose()
    {
        Directory.Delete(_killed, recursive: true);
        Directory.Delete(_clean, recursive: true);
    }

    [Fact]
    public async Task Materialize_KilledThenRunAgain_LeavesTheStateOfOneRun()
    {
        foreach (var repo in new[] { _killed, _clean })
        {
            var apply = await GranaryProcess.RunAsync(repo, "apply");
            Assert.True(apply.ExitCode == 0, apply.Stderr);
        }

        var killedPart = await KillWhileMaterializingAsync(_killed);
        var resumed = await GranaryProcess.RunAsync(_killed, "materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
        var clean = await GranaryProcess.RunAsync(_clean, "materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.True(clean.ExitCode == 0, clean.Stderr);

        var killedState = await ReadAllAsync(_killed);
        var cleanState = await ReadAllAsync(_clean);

        Assert.True(killedPart, "materialize finished before it could be killed; the test proves nothing");
        Assert.Equal(cleanState, killedState);
        // Driver d's last hour (09:00) holds trips d * 10 + 9, worked out from the rows written in Repo.
        Assert.Contains("\"values\":[10009,", cleanState, StringComparison.Ordinal);
    }

    /// <summary>
    /// Starts materialize and kills it (SIGKILL) once the online store's write-ahead log has grown past its first
    /// transactions, part way through the rows; false when it ended first.
    /// </summary>
    private static async Task<bool> KillWhileMaterializingAsync(string repo)
    {
        var start = new ProcessStartInfo(GranaryProcess.Executable) { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "materialize", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var log = new FileInfo(Path.Combine(repo, "data", "online.db-wal"));
        while (!process.HasExited)
        {
            log.Refresh();
            if (log.Exists && log.Length > 256 * 1024)
            {
                process.Kill(); // SIGKILL: no cleanup runs
                await process.WaitForExitAsync();
                return true;
            }

            await Task.Delay(5);
        }

        return false;
    }

    private static async Task<string> ReadAllAsync(string repo)
    {
        var result = await GranaryProcess.RunAsync(repo, "get-online-features", "--features", "stats:trips", "--entities", "drivers.csv");
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
    }

    private static string Repo(string name)
    {
        var repo = Path.Combine(Path.GetTempPath(), $"granary-kill-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(repo, "data"));
        // Small transactions: the kill lands between many commits.
        File.WriteAllText(Path.Combine(repo, "granary.yaml"), "project: kill_test\nonline_store: { type: sqlite, path: data/online.db, rows_per_transaction: 2000 }\n");
        File.WriteAllText(Path.Combine(repo, "features.yaml"), """
            kind: entity
            name: driver
            join_keys: [driver_id]
            ---
            kind: file_source
            name: trips
            path: data/trips.csv
            timestamp_field: event_timestamp
            ---
            kind: feature_view
            name: stats
            entities: [driver]
            source: trips
            ttl: 0
            schema:
              - { name: trips, dtype: int64 }
            """);
        var rows = new StringBuilder("driver_id,event_timestamp,trips\n");
        var drivers = new StringBuilder("driver_id\n");
        for (var d = 1000; d < 1000 + Drivers; d++)
        {
            drivers.Append(d).Append('\n');
            for (var h = 0; h < HoursPerDriver; h++)
            {
                rows.Append(CultureInfo.InvariantCulture, $"{d},2024-01-01T{h:00}:00:00Z,{(d * 10) + h}\n");
            }
        }

        File.WriteAllText(Path.Combine(repo, "data", "trips.csv"), rows.ToString());
        File.WriteAllText(Path.Combine(repo, "drivers.csv"), drivers.ToString());
        return repo;
    }
}
