using BenchmarkDotNet.Running;
using Granary.Benchmarks.Online;

// `online` runs the online store measurements (latency percentiles and write throughput, which
// BenchmarkDotNet's mean-centred reports do not give); anything else goes to BenchmarkDotNet.
if (args is ["online", ..])
{
    return await OnlineBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
