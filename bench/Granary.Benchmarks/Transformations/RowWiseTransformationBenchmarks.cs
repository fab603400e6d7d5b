using BenchmarkDotNet.Attributes;
using Granary.Definitions;
using Granary.Transformations;

namespace Granary.Benchmarks.Transformations;

/// <summary>Online: the cost an on-demand view adds to one entity row of a read.</summary>
[MemoryDiagnoser]
public class RowWiseTransformationBenchmarks
{
    private readonly object?[] _fiveOpsInputs = [1.5, 2.25, 0.75, 4.0, 1.25];
    private readonly object?[] _outputs = new object?[2];
    private CompiledOnDemandView _fiveOps = null!;
    private CompiledOnDemandView _driverAdjusted = null!;
    private object?[] _driverInputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fiveOps = CompiledOnDemandView.Compile(
            new OnDemandFeatureView
            {
                Name = "five_ops",
                Sources = ["stats"],
                Schema = [new Field { Name = "out", Dtype = DataType.Float64, Expression = "(a + b) * c - d / e" }],
            },
            new[] { "a", "b", "c", "d", "e" }.ToDictionary(n => n, _ => DataType.Float64));

        // The example of the issue: two outputs, a constant table lookup on a string key.
        _driverAdjusted = CompiledOnDemandView.Compile(
            new OnDemandFeatureView
            {
                Name = "driver_adjusted",
                Sources = ["driver_hourly_stats", "trip_request"],
                Schema =
                [
                    new Field { Name = "conv_rate_plus_val", Dtype = DataType.Float64, Expression = "conv_rate + val_to_add" },
                    new Field { Name = "price_usd", Dtype = DataType.Float64, Expression = "price * lookup(fx_to_usd, currency)" },
                ],
                Constants = new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    ["fx_to_usd"] = new Dictionary<string, string> { ["USD"] = "1.0", ["SEK"] = "0.094", ["EUR"] = "1.08" },
                },
            },
            new Dictionary<string, DataType>
            {
                ["conv_rate"] = DataType.Float64,
                ["val_to_add"] = DataType.Float64,
                ["price"] = DataType.Float64,
                ["currency"] = DataType.String,
            });
        var values = new Dictionary<string, object?> { ["conv_rate"] = 0.5, ["val_to_add"] = 1.0, ["price"] = 120.0, ["currency"] = "SEK" };
        _driverInputs = _driverAdjusted.InputNames.Select(n => values[n]).ToArray();
    }

    /// <summary><c>(a + b) * c - d / e</c> for one row.</summary>
    [Benchmark]
    public object? FiveOperationsRow()
    {
        _fiveOps.EvaluateRow(_fiveOpsInputs, _outputs);
        return _outputs[0];
    }

    /// <summary>The issue's <c>driver_adjusted</c> view for one row: two outputs, one lookup.</summary>
    [Benchmark]
    public object? DriverAdjustedRow()
    {
        _driverAdjusted.EvaluateRow(_driverInputs, _outputs);
        return _outputs[1];
    }
}
