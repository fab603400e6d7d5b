using static Granary.Tests.Transformations.Harness;

namespace Granary.Tests.Transformations;

public class OperatorTests
{
    private static readonly Input A = new("a", "float64", 1.5);
    private static readonly Input B = new("b", "float64", 2.25);

    [Theory]
    [InlineData("a + b", 3.75)]
    [InlineData("a - b", -0.75)]
    [InlineData("a * b", 3.375)]
    [InlineData("b / a", 1.5)]
    [InlineData("-a", -1.5)]
    [InlineData("b % a", 0.75)]
    [InlineData("(a + b) * 2", 7.5)]
    [InlineData("a + b * 2", 6.0)]
    [InlineData("10 - 4 - 3", 3.0)]
    [InlineData("2 * -3", -6.0)]
    [InlineData("7 / 2", 3.5)]
    [InlineData("1e2 + .5", 100.5)]
    public void Arithmetic_OnFloats_GivesHandWorkedValue(string expression, double expected)
    {
        Assert.Equal(expected, Eval(expression, "float64", A, B));
    }

    [Theory]
    [InlineData("7 % 3", 1)]
    [InlineData("-7 % 3", -1)]
    [InlineData("7 % -3", 1)]
    [InlineData("2 + 3 * 4", 14)]
    [InlineData("(2 + 3) * 4", 20)]
    [InlineData("10 - 2 * 3 - 1", 3)]
    public void Arithmetic_OnIntegers_StaysInteger(string expression, int expected)
    {
        Assert.Equal(expected, Eval(expression, "int32"));
    }

    [Fact]
    public void Add_Int32AndInt64_PromotesToInt64()
    {
        var result = Eval("x + y", "int64", new Input("x", "int32", 2), new Input("y", "int64", 3_000_000_000L));

        Assert.Equal(3_000_000_002L, result);
    }

    [Fact]
    public void Multiply_Int32AndFloat32_GivesFloat32()
    {
        var result = Eval("x * y", "float32", new Input("x", "int32", 3), new Input("y", "float32", 0.5f));

        Assert.Equal(1.5f, result);
    }

    [Fact]
    public void Add_IntegerResultIntoFloatField_Widens()
    {
        Assert.Equal(5.0, Eval("2 + 3", "float64"));
    }

    [Fact]
    public void Add_Int64Overflow_WrapsAround()
    {
        var result = Eval("x + 1", "int64", new Input("x", "int64", long.MaxValue));

        Assert.Equal(long.MinValue, result);
    }

    [Theory]
    [InlineData("a / 0")]
    [InlineData("a / 0.0")]
    [InlineData("a / -0.0")]
    [InlineData("a % 0")]
    public void Divide_ByZero_GivesNull(string expression)
    {
        Assert.Null(Eval(expression, "float64", A));
    }

    [Fact]
    public void Modulo_IntegerByZero_GivesNull()
    {
        Assert.Null(Eval("x % 0", "int64", new Input("x", "int64", 5L)));
    }

    [Fact]
    public void Modulo_MinimumByMinusOne_GivesZeroInsteadOfOverflow()
    {
        Assert.Equal(0, Eval("x % -1", "int32", new Input("x", "int32", int.MinValue)));
    }

    [Theory]
    [InlineData("3 < 4", true)]
    [InlineData("3 <= 3", true)]
    [InlineData("3 > 4", false)]
    [InlineData("4 >= 5", false)]
    [InlineData("3 == 3.0", true)]
    [InlineData("3 != 3", false)]
    [InlineData("'abc' < 'abd'", true)]
    [InlineData("'b' > 'a'", true)]
    [InlineData("'B' < 'a'", true)]
    [InlineData("'x' == \"x\"", true)]
    [InlineData("true == false", false)]
    [InlineData("true != false", true)]
    [InlineData("a < b", true)]
    public void Comparison_GivesHandWorkedValue(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression, "bool", A, B));
    }

    [Fact]
    public void Comparison_OfTimestamps_OrdersByInstant()
    {
        var early = new Input("t1", "unix_timestamp", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var late = new Input("t2", "unix_timestamp", new DateTimeOffset(2024, 1, 1, 0, 0, 1, TimeSpan.Zero));

        Assert.Equal(true, Eval("t1 < t2", "bool", early, late));
    }

    [Theory]
    [InlineData("true and false", false)]
    [InlineData("true and true", true)]
    [InlineData("true or false", true)]
    [InlineData("false or false", false)]
    [InlineData("not true", false)]
    [InlineData("!false", true)]
    [InlineData("true && false", false)]
    [InlineData("false || true", true)]
    [InlineData("not 1 > 2", true)]
    [InlineData("true or false and false", true)]
    public void Logic_GivesHandWorkedValue(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression, "bool"));
    }

    [Theory]
    [InlineData("'a\\'b'", "a'b")]
    [InlineData("\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("'tab\\there'", "tab\there")]
    public void StringLiteral_WithEscapes_Decodes(string expression, string expected)
    {
        Assert.Equal(expected, Eval(expression, "string"));
    }
}
