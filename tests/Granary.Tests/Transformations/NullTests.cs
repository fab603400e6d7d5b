using static Granary.Tests.Transformations.Harness;

namespace Granary.Tests.Transformations;

public class NullTests
{
    private static readonly Input NullA = new("a", "float64", null);
    private static readonly Input NullP = new("p", "bool", null);

    [Theory]
    [InlineData("a + 1")]
    [InlineData("a * 2")]
    [InlineData("-a")]
    [InlineData("a / 2")]
    [InlineData("abs(a)")]
    [InlineData("sqrt(a)")]
    [InlineData("round(a)")]
    [InlineData("min(a, 1)")]
    [InlineData("clamp(a, 0, 1)")]
    [InlineData("null + 1")]
    public void Arithmetic_WithNull_GivesNull(string expression)
    {
        Assert.Null(Eval(expression, "float64", NullA));
    }

    [Theory]
    [InlineData("a > 1")]
    [InlineData("a == a")]
    [InlineData("null == null")]
    [InlineData("1 < null")]
    public void Comparison_WithNull_GivesNull(string expression)
    {
        Assert.Null(Eval(expression, "bool", NullA));
    }

    [Theory]
    [InlineData("p and false", false)]
    [InlineData("false and p", false)]
    [InlineData("p and true", null)]
    [InlineData("p or true", true)]
    [InlineData("true or p", true)]
    [InlineData("p or false", null)]
    [InlineData("not p", null)]
    [InlineData("p and p", null)]
    public void Logic_WithNull_FollowsThreeValuedLogic(string expression, bool? expected)
    {
        Assert.Equal(expected, Eval(expression, "bool", NullP));
    }

    [Fact]
    public void If_WithNullCondition_TakesElseBranch()
    {
        Assert.Equal("small", Eval("if(a > 1, 'big', 'small')", "string", NullA));
    }

    [Fact]
    public void If_WithTrueCondition_TakesThenBranch()
    {
        Assert.Equal("big", Eval("if(a > 1, 'big', 'small')", "string", new Input("a", "float64", 2.0)));
    }

    [Fact]
    public void If_WithMixedNumericBranches_Promotes()
    {
        Assert.Equal(2.5, Eval("if(false, 1, 2.5)", "float64"));
    }

    [Fact]
    public void Coalesce_SkipsNulls_GivesFirstNonNull()
    {
        var result = Eval("coalesce(a, b, 0.0)", "float64", NullA, new Input("b", "float64", 2.5));

        Assert.Equal(2.5, result);
    }

    [Fact]
    public void Coalesce_AllNullButLast_GivesLast()
    {
        Assert.Equal(0.0, Eval("coalesce(a, null, 0)", "float64", NullA));
    }

    [Fact]
    public void Coalesce_OfStrings_GivesFirstNonNull()
    {
        Assert.Equal("fallback", Eval("coalesce(s, 'fallback')", "string", new Input("s", "string", null)));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1.0, false)]
    public void IsNull_TellsWhetherValueIsNull(double? value, bool expected)
    {
        Assert.Equal(expected, Eval("is_null(a)", "bool", new Input("a", "float64", value)));
    }

    [Fact]
    public void IsNull_OfNullString_IsTrue()
    {
        Assert.Equal(true, Eval("is_null(s)", "bool", new Input("s", "string", null)));
    }

    [Fact]
    public void NullLiteral_AsWholeExpression_GivesNullOfDeclaredType()
    {
        Assert.Null(Eval("null", "int64"));
    }

    [Theory]
    [InlineData("concat(s, 'x')")]
    [InlineData("lower(s)")]
    [InlineData("substring(s, 1)")]
    [InlineData("lookup(grade, s)")]
    public void StringFunctions_WithNull_GiveNull(string expression)
    {
        Assert.Null(Eval(expression, "string", new Input("s", "string", null)));
    }
}
