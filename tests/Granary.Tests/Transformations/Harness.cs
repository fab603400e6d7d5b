using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Definitions;
using Granary.Transformations;
using Field = Granary.Definitions.Field;

namespace Granary.Tests.Transformations;

/// <summary>One input of a test expression: its name, dtype and value for the single row.</summary>
internal sealed record Input(string Name, string Dtype, object? Value);

/// <summary>
/// Compiles one-output views and evaluates them both online (a row) and offline (Arrow columns),
/// checking that the two agree before handing back the value.
/// </summary>
internal static class Harness
{
    public static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Constants = new()
    {
        ["fx_to_usd"] = new Dictionary<string, string> { ["USD"] = "1.0", ["SEK"] = "0.094", ["EUR"] = "1.08" },
        ["tier_bonus"] = new Dictionary<string, string> { ["1"] = "10.0", ["2"] = "20.0" },
        ["grade"] = new Dictionary<string, string> { ["gold"] = "A", ["silver"] = "B" },
    };

    public static OnDemandFeatureView View(string expression, string dtype = "float64") => new()
    {
        Name = "test_view",
        Sources = ["stats"],
        Schema = [new Field { Name = "out", Dtype = DataType.Parse(dtype), Expression = expression }],
        Constants = Constants,
    };

    public static CompiledOnDemandView Compile(string expression, string dtype, params Input[] inputs) =>
        CompiledOnDemandView.Compile(View(expression, dtype), inputs.ToDictionary(i => i.Name, i => DataType.Parse(i.Dtype)));

    /// <summary>The value of <paramref name="expression"/> for one row, after checking that the online and offline paths agree.</summary>
    public static object? Eval(string expression, string dtype = "float64", params Input[] inputs)
    {
        var compiled = Compile(expression, dtype, inputs);
        var values = compiled.InputNames.Select(n => inputs.Single(i => i.Name == n).Value).ToArray();
        var row = new object?[1];
        compiled.EvaluateRow(values, row);

        var columns = compiled.InputNames.Select((n, k) => ToArrow(compiled.InputTypes[k], [values[k]])).ToArray();
        var column = compiled.EvaluateColumns(1, columns)[0];
        var offline = Granary.Offline.ArrowBatches.GetValue(column, 0);
        Assert.Equal(row[0], offline);
        return row[0];
    }

    /// <summary>The message of the error that compiling <paramref name="expression"/> raises.</summary>
    public static string Error(string expression, string dtype = "float64", params Input[] inputs)
    {
        var error = Assert.Throws<TransformationException>(() => Compile(expression, dtype, inputs));
        return error.Message;
    }

    public static IArrowArray ToArrow(DataType type, IReadOnlyList<object?> values)
    {
        switch (type.Scalar)
        {
            case ScalarType.Float64:
                var doubles = new DoubleArray.Builder();
                foreach (var v in values)
                {
                    if (v is null) { doubles.AppendNull(); } else { doubles.Append(Convert.ToDouble(v, null)); }
                }

                return doubles.Build();
            case ScalarType.Float32:
                var floats = new FloatArray.Builder();
                foreach (var v in values)
                {
                    if (v is null) { floats.AppendNull(); } else { floats.Append(Convert.ToSingle(v, null)); }
                }

                return floats.Build();
            case ScalarType.Int64:
                var longs = new Int64Array.Builder();
                foreach (var v in values)
                {
                    if (v is null) { longs.AppendNull(); } else { longs.Append(Convert.ToInt64(v, null)); }
                }

                return longs.Build();
            case ScalarType.Int32:
                var ints = new Int32Array.Builder();
                foreach (var v in values)
                {
                    if (v is null) { ints.AppendNull(); } else { ints.Append(Convert.ToInt32(v, null)); }
                }

                return ints.Build();
            case ScalarType.Bool:
                var bools = new BooleanArray.Builder();
                foreach (var v in values)
                {
                    if (v is null) { bools.AppendNull(); } else { bools.Append((bool)v); }
                }

                return bools.Build();
            case ScalarType.String:
                var strings = new StringArray.Builder();
                foreach (var v in values)
                {
                    if (v is null) { strings.AppendNull(); } else { strings.Append((string)v); }
                }

                return strings.Build();
            case ScalarType.UnixTimestamp:
                var times = new TimestampArray.Builder(TimeUnit.Microsecond, "UTC");
                foreach (var v in values)
                {
                    if (v is null) { times.AppendNull(); } else { times.Append((DateTimeOffset)v); }
                }

                return times.Build();
            default:
                throw new NotSupportedException(type.ToString());
        }
    }
}
