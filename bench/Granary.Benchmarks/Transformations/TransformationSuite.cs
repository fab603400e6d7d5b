using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Granary.Benchmarks.Transformations;

/// <summary>The on-demand transformation micro benchmarks, per core; the arguments go to BenchmarkDotNet.</summary>
internal static class TransformationSuite
{
    public static Task<int> RunAsync(string[] args)
    {
        // Figures are per core: pin the process to one core so that nothing runs in parallel.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        }

        // In-process: no child project is generated and built, which keeps runs short on a shared machine.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddColumn(StatisticColumn.Min, StatisticColumn.Median)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        foreach (var type in new[] { typeof(ColumnWiseTransformationBenchmarks), typeof(RowWiseTransformationBenchmarks) })
        {
            if (BenchmarkRunner.Run(type, config, args).HasCriticalValidationErrors)
            {
                return Task.FromResult(1);
            }
        }

        return Task.FromResult(0);
    }
}
