using Granary.Benchmarks.Offline;
using Granary.Benchmarks.Server;

// One entry per suite: `dotnet run -c Release --project bench/Granary.Benchmarks -- <suite> [options]`.
var suites = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["offline"] = OfflineJoinBenchmark.RunAsync,
    ["offline-phase"] = OfflineJoinBenchmark.RunPhaseAsync,
    ["server"] = FeatureServerBenchmark.RunAsync,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Granary.Benchmarks <{string.Join("|", suites.Keys)}> [options]");
    return 2;
}

return await run(args[1..]);
