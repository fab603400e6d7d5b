using System.Collections.Concurrent;
using Granary.Materialization;
using Spectre.Console;

namespace Granary.Cli.Commands;

/// <summary>
/// Shows materialization progress: a live bar per view on a terminal (rows, rate, ETA), a log line
/// at least every 10 seconds otherwise, and a summary at the end.
/// </summary>
internal static class MaterializationDisplay
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    public static async Task<IReadOnlyList<MaterializedView>> RunAsync(string format, Func<IProgress<MaterializationProgress>?, Task<IReadOnlyList<MaterializedView>>> run)
    {
        if (format == "json" || CommandRunner.Verbosity == Verbosity.Quiet)
        {
            // stdout holds the result alone.
            return await run(null);
        }

        if (!Console.IsOutputRedirected && CommandRunner.Out.Profile.Capabilities.Interactive)
        {
            IReadOnlyList<MaterializedView> done = [];
            await CommandRunner.Out.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var tasks = new ConcurrentDictionary<string, ProgressTask>();
                    var progress = new SyncProgress(p =>
                    {
                        var task = tasks.GetOrAdd(p.View, v => context.AddTask(v, maxValue: Math.Max(1, p.TotalRows ?? 1)).IsIndeterminate(p.TotalRows is null));
                        task.Description = $"{p.View}: {p.RowsWritten:N0}{(p.TotalRows is { } t ? $"/{t:N0}" : string.Empty)} rows, {Rate(p):N0} rows/s";
                        if (p.TotalRows is not null)
                        {
                            task.Value = p.RowsWritten;
                        }

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
                var of = p.TotalRows is { } total ? $" of {total}" : string.Empty;
                var eta = p.Remaining is { } left ? $", about {left.TotalSeconds:0} s left" : string.Empty;
                Console.WriteLine($"{p.View}: {p.RowsWritten}{of} rows written, {Rate(p):0} rows/s{eta}{(p.Completed ? ", done" : string.Empty)}");
            }
        });
        return await run(lines);
    }

    public static void Summarize(string format, IReadOnlyList<MaterializedView> done)
    {
        if (format == "json")
        {
            Console.WriteLine(JsonOutput.Materialized(done));
            return;
        }

        if (CommandRunner.Verbosity == Verbosity.Quiet)
        {
            return;
        }

        var seconds = done.Sum(v => v.Elapsed.TotalSeconds);
        Console.WriteLine($"Materialized {done.Count} views, {done.Sum(v => v.Rows)} rows in {seconds:0.00} s.");
        foreach (var view in done)
        {
            var written = view.Events is { } events ? $"{view.Rows} entities from {events} events" : $"{view.Rows} rows";
            Console.WriteLine($"  {view.View}: {written} for {view.Start:u} .. {view.End:u}");
        }
    }

    /// <summary>Reports on the caller's thread, so that lines come out in order (Progress&lt;T&gt; posts them later).</summary>
    private sealed class SyncProgress(Action<MaterializationProgress> report) : IProgress<MaterializationProgress>
    {
        public void Report(MaterializationProgress value) => report(value);
    }

    private static double Rate(MaterializationProgress p) => p.Elapsed.TotalSeconds > 0 ? p.RowsWritten / p.Elapsed.TotalSeconds : 0;
}
