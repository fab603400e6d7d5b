using Granary.Definitions;
using Granary.Transformations;
using Field = Granary.Definitions.Field;

namespace Granary.Tests.Transformations;

/// <summary>The property that training and serving agree: online rows and offline columns give the same bits.</summary>
public class RowColumnEquivalenceTests
{
    private const int Rows = 70_000; // crosses a chunk boundary of the offline path

    private static readonly string[] Names = ["a", "b", "c", "d", "e"];

    private static readonly OnDemandFeatureView View = new()
    {
        Name = "mixed",
        Sources = ["stats"],
        Schema =
        [
            new Field { Name = "five_ops", Dtype = DataType.Float64, Expression = "(a + b) * c - d / e" },
            new Field { Name = "math", Dtype = DataType.Float64, Expression = "sqrt(abs(a)) + log1p(abs(b)) * pow(c, 2) - exp(d / 100) + log(e)" },
            new Field { Name = "branches", Dtype = DataType.Float64, Expression = "if(a > b, a * c, coalesce(d, e, 0.0)) + round(e * 100, 2) % 7" },
            new Field { Name = "narrow", Dtype = new DataType(ScalarType.Float32), Expression = "float32(a) * float32(b) + clamp(c, -1, 1)" },
            new Field { Name = "ints", Dtype = DataType.Int64, Expression = "int64(a * 1000) % 97 + int64(floor(b))" },
        ],
    };

    private static (double?[][] Columns, CompiledOnDemandView Compiled) Data(int seed)
    {
        var random = new Random(seed);
        var columns = Names.Select(_ => new double?[Rows]).ToArray();
        for (var row = 0; row < Rows; row++)
        {
            foreach (var column in columns)
            {
                column[row] = random.Next(10) == 0 ? null : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 6));
            }
        }

        var compiled = CompiledOnDemandView.Compile(View, Names.ToDictionary(n => n, _ => DataType.Float64));
        return (columns, compiled);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20240315)]
    public void EvaluateRow_AndEvaluateColumns_GiveBitIdenticalValues(int seed)
    {
        var (columns, compiled) = Data(seed);
        var byName = Names.Zip(columns).ToDictionary(p => p.First, p => p.Second);
        var arrow = compiled.InputNames.Select(n => Harness.ToArrow(DataType.Float64, byName[n].Cast<object?>().ToArray())).ToArray();
        var offline = compiled.EvaluateColumns(Rows, arrow);

        var inputs = new object?[compiled.InputNames.Count];
        var outputs = new object?[View.Schema.Count];
        var nonNull = 0;
        for (var row = 0; row < Rows; row++)
        {
            for (var k = 0; k < inputs.Length; k++)
            {
                inputs[k] = byName[compiled.InputNames[k]][row];
            }

            compiled.EvaluateRow(inputs, outputs);
            for (var o = 0; o < outputs.Length; o++)
            {
                var column = Granary.Offline.ArrowBatches.GetValue(offline[o], row);
                Assert.Equal(Bits(outputs[o]), Bits(column));
                nonNull += outputs[o] is null ? 0 : 1;
            }
        }

        Assert.True(nonNull > Rows, "most outputs should be values, not nulls");
    }

    [Fact]
    public void EvaluateColumns_FiveOperations_MatchPlainCSharp()
    {
        var (columns, compiled) = Data(7);
        var arrow = compiled.InputNames.Select(n => Harness.ToArrow(DataType.Float64, columns[Array.IndexOf(Names, n)].Cast<object?>().ToArray())).ToArray();
        var offline = (Apache.Arrow.DoubleArray)compiled.EvaluateColumns(Rows, arrow)[0];
        var (a, b, c, d, e) = (columns[0], columns[1], columns[2], columns[3], columns[4]);

        for (var row = 0; row < Rows; row++)
        {
            double? expected = a[row] is { } av && b[row] is { } bv && c[row] is { } cv && d[row] is { } dv && e[row] is { } ev && ev != 0
                ? ((av + bv) * cv) - (dv / ev)
                : null;
            Assert.Equal(Bits(expected), Bits(offline.GetValue(row)));
        }
    }

    private static long? Bits(object? value) => value switch
    {
        null => null,
        double d => BitConverter.DoubleToInt64Bits(d),
        float f => BitConverter.SingleToInt32Bits(f),
        long l => l,
        _ => throw new InvalidOperationException(value.GetType().Name),
    };
}
