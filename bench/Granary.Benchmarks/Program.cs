using BenchmarkDotNet.Running;
using Granary.Benchmarks.Offline;
using Granary.Benchmarks.Online;

// End-to-end suites report percentiles, throughput and peak memory, which BenchmarkDotNet's
// mean-centred reports do not give: `dotnet run -c Release --project bench/Granary.Benchmarks -- <suite> [options]`.
// Any other arguments go to BenchmarkDotNet (micro benchmarks, `--filter *`).
var suites = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["offline"] = OfflineJoinBenchmark.RunAsync,
    ["offline-phase"] = OfflineJoinBenchmark.RunPhaseAsync,
    ["online"] = OnlineBenchmark.RunAsync,
};

if (args.Length > 0 && suites.TryGetValue(args[0], out var run))
{
    return await run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
