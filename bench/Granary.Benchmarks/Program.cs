using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Granary.Benchmarks;

// The first argument picks a group; the rest go to BenchmarkDotNet (--filter, --job, ...).
//   dotnet run -c Release --project bench/Granary.Benchmarks -- transform
var groups = new Dictionary<string, Type[]>(StringComparer.OrdinalIgnoreCase)
{
    ["transform"] = [typeof(ColumnWiseTransformationBenchmarks), typeof(RowWiseTransformationBenchmarks)],
};

if (args.Length == 0 || !groups.TryGetValue(args[0], out var types))
{
    Console.Error.WriteLine($"usage: Granary.Benchmarks <{string.Join("|", groups.Keys)}> [BenchmarkDotNet options]");
    return 2;
}

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
foreach (var summary in types.Select(type => BenchmarkRunner.Run(type, config, args[1..])))
{
    if (summary.HasCriticalValidationErrors)
    {
        return 1;
    }
}

return 0;
