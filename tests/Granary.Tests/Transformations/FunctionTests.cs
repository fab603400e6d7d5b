using static Granary.Tests.Transformations.Harness;

namespace Granary.Tests.Transformations;

public class FunctionTests
{
    [Theory]
    [InlineData("abs(-2.5)", 2.5)]
    [InlineData("sqrt(16.0)", 4.0)]
    [InlineData("sqrt(2.25)", 1.5)]
    [InlineData("log(1.0)", 0.0)]
    [InlineData("log1p(0.0)", 0.0)]
    [InlineData("exp(0.0)", 1.0)]
    [InlineData("pow(2, 10)", 1024.0)]
    [InlineData("pow(9, 0.5)", 3.0)]
    [InlineData("round(2.5)", 3.0)]
    [InlineData("round(-2.5)", -3.0)]
    [InlineData("round(2.4)", 2.0)]
    [InlineData("round(1.2345, 2)", 1.23)]
    [InlineData("floor(-1.5)", -2.0)]
    [InlineData("ceil(-1.5)", -1.0)]
    [InlineData("floor(2.7)", 2.0)]
    [InlineData("ceil(2.1)", 3.0)]
    [InlineData("max(1, 2.5)", 2.5)]
    [InlineData("min(4.5, 2, 3)", 2.0)]
    [InlineData("clamp(15, 0, 10.5)", 10.5)]
    [InlineData("clamp(-5, 0.5, 10)", 0.5)]
    [InlineData("clamp(5.5, 0, 10)", 5.5)]
    [InlineData("seconds_between(request_time, request_time)", 0.0)]
    public void MathFunction_GivesHandWorkedValue(string expression, double expected)
    {
        Assert.Equal(expected, Eval(expression, "float64", new Input("request_time", "unix_timestamp", DateTimeOffset.UnixEpoch)));
    }

    [Fact]
    public void Log_OfTen_IsLnTen()
    {
        Assert.Equal(2.302585092994046, (double)Eval("log(10)")!, 14);
    }

    [Fact]
    public void Exp_OfOne_IsE()
    {
        Assert.Equal(2.718281828459045, (double)Eval("exp(1)")!, 14);
    }

    [Fact]
    public void Log1p_OfTinyValue_KeepsItsDigits()
    {
        // ln(1 + x) = x - x^2/2 + x^3/3 - ... = 1e-10 - 5e-21 (+ 3e-31) for x = 1e-10.
        var result = (double)Eval("log1p(1e-10)")!;

        Assert.Equal(9.9999999995e-11, result, 1e-24);
    }

    [Theory]
    [InlineData("sqrt(-1.0)")]
    [InlineData("log(0)")]
    [InlineData("log(-1)")]
    [InlineData("log1p(-1)")]
    [InlineData("log1p(-2)")]
    [InlineData("pow(-8, 0.5)")]
    [InlineData("round(1.5, -1)")]
    public void MathFunction_OutsideDomain_GivesNull(string expression)
    {
        Assert.Null(Eval(expression));
    }

    [Theory]
    [InlineData("abs(-3)", 3)]
    [InlineData("round(7)", 7)]
    [InlineData("floor(7)", 7)]
    [InlineData("ceil(-7)", -7)]
    [InlineData("min(3, 1, 2)", 1)]
    [InlineData("max(3, 1, 2)", 3)]
    [InlineData("clamp(15, 0, 10)", 10)]
    [InlineData("clamp(-5, 0, 10)", 0)]
    [InlineData("length('hello')", 5)]
    [InlineData("length('')", 0)]
    public void IntegerFunction_GivesHandWorkedValue(string expression, int expected)
    {
        Assert.Equal(expected, Eval(expression, "int32"));
    }

    [Fact]
    public void Abs_OfMinimumInt32_GivesNull()
    {
        Assert.Null(Eval("abs(x)", "int32", new Input("x", "int32", int.MinValue)));
    }

    [Theory]
    [InlineData("lower('AbC')", "abc")]
    [InlineData("upper('AbC')", "ABC")]
    [InlineData("concat('a', 1, true)", "a1true")]
    [InlineData("concat('x', 1.5)", "x1.5")]
    [InlineData("concat('only')", "only")]
    [InlineData("substring('granary', 0, 4)", "gran")]
    [InlineData("substring('granary', 4)", "ary")]
    [InlineData("substring('granary', 5, 100)", "ry")]
    [InlineData("substring('abc', 5)", "")]
    [InlineData("string(42)", "42")]
    [InlineData("string(2.5)", "2.5")]
    [InlineData("string(-0.125)", "-0.125")]
    [InlineData("string(true)", "true")]
    [InlineData("string('s')", "s")]
    public void StringFunction_GivesHandWorkedValue(string expression, string expected)
    {
        Assert.Equal(expected, Eval(expression, "string"));
    }

    [Theory]
    [InlineData("substring('abc', -1)")]
    [InlineData("substring('abc', 0, -1)")]
    public void Substring_WithNegativeArgument_GivesNull(string expression)
    {
        Assert.Null(Eval(expression, "string"));
    }

    [Theory]
    [InlineData("contains('feature', 'eat')", true)]
    [InlineData("contains('feature', 'EAT')", false)]
    [InlineData("contains('feature', '')", true)]
    [InlineData("bool('true')", true)]
    [InlineData("bool('FALSE')", false)]
    [InlineData("bool(0)", false)]
    [InlineData("bool(-2.5)", true)]
    public void BoolFunction_GivesHandWorkedValue(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression, "bool"));
    }

    [Theory]
    [InlineData("int32(3.9)", 3)]
    [InlineData("int32(-3.9)", -3)]
    [InlineData("int32('42')", 42)]
    [InlineData("int32(true)", 1)]
    [InlineData("int32(x)", 7)]
    public void CastToInt32_TruncatesTowardZero(string expression, int expected)
    {
        Assert.Equal(expected, Eval(expression, "int32", new Input("x", "int64", 7L)));
    }

    [Theory]
    [InlineData("int32(3e10)")]
    [InlineData("int32('x')")]
    [InlineData("int32(x)")]
    [InlineData("int64(sqrt(-1.0))")]
    [InlineData("float64('1.5.2')")]
    [InlineData("bool('yes')")]
    public void Cast_OfValueThatDoesNotFit_GivesNull(string expression)
    {
        var dtype = expression.StartsWith("int32", StringComparison.Ordinal) ? "int32"
            : expression.StartsWith("int64", StringComparison.Ordinal) ? "int64"
            : expression.StartsWith("bool", StringComparison.Ordinal) ? "bool" : "float64";

        Assert.Null(Eval(expression, dtype, new Input("x", "int64", 3_000_000_000L)));
    }

    [Fact]
    public void Cast_ToInt64_ParsesText()
    {
        Assert.Equal(42L, Eval("int64('42')", "int64"));
    }

    [Fact]
    public void Cast_ToFloat64_ParsesInvariantText()
    {
        Assert.Equal(1.5, Eval("float64('1.5')"));
    }

    [Fact]
    public void Cast_ToFloat32_RoundsToNearestFloat()
    {
        Assert.Equal(0.1f, Eval("float32(0.1)", "float32"));
    }

    [Fact]
    public void Cast_Float64IntoInt64Field_IsAccepted()
    {
        Assert.Equal(-2L, Eval("int64(a * 2)", "int64", new Input("a", "float64", -1.25)));
    }

    [Fact]
    public void Float64ResultIntoFloat32Field_IsRounded()
    {
        Assert.Equal(0.1f, Eval("0.1", "float32"));
    }
}
