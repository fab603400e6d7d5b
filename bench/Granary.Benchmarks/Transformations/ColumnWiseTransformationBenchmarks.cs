using Apache.Arrow;
using BenchmarkDotNet.Attributes;
using Granary.Definitions;
using Granary.Transformations;
using Field = Granary.Definitions.Field;

namespace Granary.Benchmarks.Transformations;

/// <summary>
/// Offline: <c>(a + b) * c - d / e</c> over 10M float64 rows in Arrow batches of 65,536, as
/// retrieval hands them over. Times are per row (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class ColumnWiseTransformationBenchmarks
{
    private const int Rows = 10_000_000;
    private const int BatchSize = 65_536;

    private readonly List<IArrowArray[]> _batches = [];
    private readonly double[][] _plain = new double[5][];
    private readonly double[] _plainOutput = new double[Rows];
    private CompiledOnDemandView _compiled = null!;

    /// <summary>Whether one value in ten of each input is null.</summary>
    [Params(false, true)]
    public bool WithNulls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var names = new[] { "a", "b", "c", "d", "e" };
        var view = new OnDemandFeatureView
        {
            Name = "five_ops",
            Sources = ["stats"],
            Schema = [new Field { Name = "out", Dtype = DataType.Float64, Expression = "(a + b) * c - d / e" }],
        };
        _compiled = CompiledOnDemandView.Compile(view, names.ToDictionary(n => n, _ => DataType.Float64));

        var random = new Random(42);
        for (var k = 0; k < 5; k++)
        {
            _plain[k] = new double[Rows];
            for (var i = 0; i < Rows; i++)
            {
                _plain[k][i] = random.NextDouble() + 0.5;
            }
        }

        var slots = _compiled.InputNames.Select(n => System.Array.IndexOf(names, n)).ToArray();
        for (var start = 0; start < Rows; start += BatchSize)
        {
            var count = Math.Min(BatchSize, Rows - start);
            _batches.Add(slots.Select(k =>
            {
                var builder = new DoubleArray.Builder().Reserve(count);
                for (var i = start; i < start + count; i++)
                {
                    if (WithNulls && random.Next(10) == 0)
                    {
                        builder.AppendNull();
                    }
                    else
                    {
                        builder.Append(_plain[k][i]);
                    }
                }

                return (IArrowArray)builder.Build();
            }).ToArray());
        }
    }

    /// <summary>The engine over Arrow batches: load inputs, run the compiled kernel, build the output array.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public int EvaluateColumns()
    {
        var rows = 0;
        foreach (var batch in _batches)
        {
            rows += _compiled.EvaluateColumns(batch[0].Length, batch)[0].Length;
        }

        return rows;
    }

    /// <summary>Reference: the same arithmetic as a hand-written loop over plain arrays, no nulls, no Arrow.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public double HandWrittenLoop()
    {
        var (a, b, c, d, e) = (_plain[0], _plain[1], _plain[2], _plain[3], _plain[4]);
        var output = _plainOutput;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = ((a[i] + b[i]) * c[i]) - (d[i] / e[i]);
        }

        return output[^1];
    }
}
