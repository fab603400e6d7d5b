using System.Collections.Concurrent;
using Granary.Materialization;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary>
/// Shows materialization progress: a live line per view on a terminal (rows, rate), a log line
/// at least every 10 seconds otherwise, and a summary at the end.
/// </summary>
internal static class MaterializationDisplay
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    public static async Task<IReadOnlyList<MaterializedView>> RunAsync(Func<IProgress<MaterializationProgress>, Task<IReadOnlyList<MaterializedView>>> run)
    {
        if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            IReadOnlyList<MaterializedView> done = [];
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var tasks = new ConcurrentDictionary<string, ProgressTask>();
                    var progress = new SyncProgress(p =>
                    {
                        var task = tasks.GetOrAdd(p.View, v => context.AddTask(v).IsIndeterminate());
                        task.Description = $"{p.View}: {p.RowsWritten:N0} rows, {Rate(p):N0} rows/s";
                        if (p.Completed)
                        {
                            task.IsIndeterminate = false;
                            task.Value = task.MaxValue;
                            task.StopTask();
                        }
                    });
                    done = await run(progress);
                });
            return done;
        }

        var lastLog = new ConcurrentDictionary<string, TimeSpan>();
        var lines = new SyncProgress(p =>
        {
            var last = lastLog.GetOrAdd(p.View, TimeSpan.Zero);
            if (p.Completed || p.Elapsed - last >= LogEvery)
            {
                lastLog[p.View] = p.Elapsed;
                Console.WriteLine($"{p.View}: {p.RowsWritten} rows written, {Rate(p):0} rows/s{(p.Completed ? ", done" : string.Empty)}");
            }
        });
        return await run(lines);
    }

    public static void Summarize(IReadOnlyList<MaterializedView> done)
    {
        var seconds = done.Sum(v => v.Elapsed.TotalSeconds);
        Console.WriteLine($"Materialized {done.Count} views, {done.Sum(v => v.Rows)} rows in {seconds:0.00} s.");
        foreach (var view in done)
        {
            Console.WriteLine($"  {view.View}: {view.Rows} rows for {view.Start:u} .. {view.End:u}");
        }
    }

    /// <summary>Reports on the caller's thread, so that lines come out in order (Progress&lt;T&gt; posts them later).</summary>
    private sealed class SyncProgress(Action<MaterializationProgress> report) : IProgress<MaterializationProgress>
    {
        public void Report(MaterializationProgress value) => report(value);
    }

    private static double Rate(MaterializationProgress p) => p.Elapsed.TotalSeconds > 0 ? p.RowsWritten / p.Elapsed.TotalSeconds : 0;
}
