using BenchmarkDotNet.Running;
using Granary.Benchmarks.Transformations;
using Granary.Benchmarks.Materialization;
using Granary.Benchmarks.Offline;
using Granary.Benchmarks.Online;
using Granary.Benchmarks.Server;
using Granary.Benchmarks.Ui;

// `dotnet run -c Release --project bench/Granary.Benchmarks -- <suite> [options]`. End-to-end suites
// report percentiles, throughput and peak memory, which BenchmarkDotNet's mean-centred reports do
// not give; `transform` is a BenchmarkDotNet suite. Any other arguments go to BenchmarkDotNet.
var suites = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["aggregations"] = AggregationOnlineBenchmark.RunAsync,
    ["flights-training"] = FlightsTrainingBenchmark.RunAsync,
    ["flights-baseline"] = FlightsTrainingBenchmark.RunBaselineAsync,
    ["flights-check"] = FlightsTrainingBenchmark.RunCheckAsync,
    ["materialize-cli"] = MaterializeCliBenchmark.RunAsync,
    ["offline"] = OfflineJoinBenchmark.RunAsync,
    ["offline-phase"] = OfflineJoinBenchmark.RunPhaseAsync,
    ["offline-agg"] = AggregationTrainingBenchmark.RunAsync,
    ["offline-agg-phase"] = AggregationTrainingBenchmark.RunPhaseAsync,
    ["online"] = OnlineBenchmark.RunAsync,
    ["online-odfv"] = OnDemandReadBenchmark.RunAsync,
    ["transform"] = TransformationSuite.RunAsync,
    ["redis-layout"] = RedisLayoutBenchmark.RunAsync,
    ["server"] = FeatureServerBenchmark.RunAsync,
    ["server-logging"] = FeatureServerBenchmark.RunLoggingAsync,
    ["feature-log-writer"] = FeatureLogWriterBenchmark.RunAsync,
    ["skew"] = SkewBenchmark.RunAsync,
    ["ui"] = UiRenderBenchmark.RunAsync,
};

if (args.Length > 0 && suites.TryGetValue(args[0], out var run))
{
    return await run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
