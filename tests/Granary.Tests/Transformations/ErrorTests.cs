using Granary.Definitions;
using Granary.Transformations;
using static Granary.Tests.Transformations.Harness;

namespace Granary.Tests.Transformations;

public class ErrorTests
{
    private static readonly Input A = new("a", "float64", 1.0);
    private static readonly Input S = new("s", "string", "x");

    private static string Detail(string expression, string dtype = "float64", params Input[] inputs)
    {
        var message = Error(expression, dtype, inputs);
        const string Prefix = "on_demand_feature_view 'test_view': feature 'out': ";
        Assert.StartsWith(Prefix, message, StringComparison.Ordinal);
        return message[Prefix.Length..];
    }

    [Theory]
    [InlineData("a +", "expression column 4: the expression ends too early")]
    [InlineData("(a + 1", "expression column 7: expected ')', found the end")]
    [InlineData("a = 1", "expression column 3: '=' is not an operator; compare with '=='")]
    [InlineData("'abc", "expression column 1: string is not closed")]
    [InlineData("a b", "expression column 3: unexpected 'b' after a complete expression")]
    [InlineData("1 # 2", "expression column 3: unexpected character '#'")]
    [InlineData("", "expression column 1: the expression is empty")]
    [InlineData("sqrt(a,)", "expression column 8: unexpected ')'")]
    [InlineData("12abc", "expression column 1: malformed number '12a'")]
    [InlineData("'a\\q'", "expression column 3: unknown escape '\\q'; use \\\\, \\', \\\", \\n or \\t")]
    [InlineData("99999999999999999999", "expression column 1: integer 99999999999999999999 does not fit in int64")]
    public void Parse_MalformedExpression_NamesColumn(string expression, string expected)
    {
        Assert.Equal(expected, Detail(expression, "float64", A));
    }

    [Theory]
    [InlineData("a + s", "expression column 3: operator '+' needs numbers, got float64 and string; join strings with concat(a, b)")]
    [InlineData("a * true", "expression column 3: operator '*' needs numbers, got float64 and bool")]
    [InlineData("a > s", "expression column 3: cannot compare float64 with string")]
    [InlineData("true < false", "expression column 6: operator '<' cannot order bool values; only == and != apply")]
    [InlineData("true and a", "expression column 6: operator 'and' needs bool operands, got bool and float64")]
    [InlineData("not a", "expression column 5: the operand of 'not' must be bool, got float64")]
    [InlineData("-s", "expression column 1: unary '-' needs a number, got string")]
    [InlineData("if(a, 1, 2)", "expression column 4: the condition of 'if' must be bool, got float64")]
    [InlineData("if(true, 1, s)", "expression column 1: the branches of 'if' mix int32 and string")]
    [InlineData("coalesce(a, s)", "expression column 1: the arguments of 'coalesce' mix float64 and string")]
    [InlineData("sqrt(s)", "expression column 6: argument 1 of 'sqrt' must be a number, got string")]
    [InlineData("lower(a)", "expression column 7: argument 1 of 'lower' must be string, got float64")]
    [InlineData("substring(s, 1.5)", "expression column 14: argument 2 of 'substring' must be an integer, got float64")]
    [InlineData("round(a, 1.5)", "expression column 10: argument 2 of 'round' must be an integer, got float64")]
    [InlineData("hour_of_day(a)", "expression column 13: argument 1 of 'hour_of_day' must be unix_timestamp, got float64")]
    [InlineData("int64(request_time)", "expression column 1: cannot convert unix_timestamp to int64; use seconds_between, hour_of_day or day_of_week")]
    [InlineData("request_time - request_time", "expression column 14: operator '-' needs numbers, got unix_timestamp and unix_timestamp; use seconds_between(a, b)")]
    public void TypeCheck_MismatchedTypes_ExplainsWithColumn(string expression, string expected)
    {
        Assert.Equal(expected, Detail(expression, "float64", A, S));
    }

    [Theory]
    [InlineData("sqrt(1, 2)", "expression column 1: function 'sqrt' takes 1 argument, got 2")]
    [InlineData("pow(2)", "expression column 1: function 'pow' takes 2 arguments, got 1")]
    [InlineData("substring('a')", "expression column 1: function 'substring' takes 2 to 3 arguments, got 1")]
    [InlineData("min(1)", "expression column 1: function 'min' takes at least 2 arguments, got 1")]
    [InlineData("coalesce()", "expression column 1: function 'coalesce' takes at least 1 argument, got 0")]
    [InlineData("a * if(true, 1)", "expression column 5: function 'if' takes 3 arguments, got 2")]
    [InlineData("lookup(fx_to_usd)", "expression column 1: function 'lookup' takes 2 arguments, got 1")]
    [InlineData("float64(1, 2)", "expression column 1: function 'float64' takes 1 argument, got 2")]
    public void TypeCheck_WrongArgumentCount_ExplainsArity(string expression, string expected)
    {
        Assert.Equal(expected, Detail(expression, "float64", A));
    }

    [Theory]
    [InlineData("nope + 1", "expression column 1: unknown name 'nope'")]
    [InlineData("1 + foo(a)", "expression column 5: unknown function 'foo'")]
    [InlineData("a(1)", "expression column 1: 'a' is not a function")]
    [InlineData("fx_to_usd", "expression column 1: 'fx_to_usd' is a constant table; read it with lookup(fx_to_usd, key)")]
    [InlineData("lookup(a, 'USD')", "expression column 8: the first argument of 'lookup' must name a constant table (constants: fx_to_usd, grade, tier_bonus)")]
    public void TypeCheck_UnknownName_Explains(string expression, string expected)
    {
        Assert.Equal(expected, Detail(expression, "float64", A));
    }

    [Theory]
    [InlineData("a * 2", "int64", "expression column 1: the expression gives float64 but the feature is declared int64; convert explicitly with int64(...)")]
    [InlineData("x + 1", "int32", "expression column 1: the expression gives int64 but the feature is declared int32; convert explicitly with int32(...)")]
    [InlineData("'text'", "float64", "expression column 1: the expression gives string but the feature is declared float64")]
    [InlineData("a > 1", "string", "expression column 1: the expression gives bool but the feature is declared string")]
    public void TypeCheck_ResultNotAssignable_Explains(string expression, string dtype, string expected)
    {
        Assert.Equal(expected, Detail(expression, dtype, A, new Input("x", "int64", 1L)));
    }

    [Fact]
    public void TypeCheck_ListOutput_IsRejected()
    {
        Assert.Equal(
            "expression column 1: an expression cannot compute a float64_list value; supported dtypes are int32, int64, float32, float64, string, bool and unix_timestamp",
            Detail("a", "float64_list", A));
    }

    [Fact]
    public void TypeCheck_BytesInput_IsRejected()
    {
        Assert.Equal("expression column 8: input 'blob' is bytes, which expressions cannot use", Detail("length(blob)", "int32", new Input("blob", "bytes", null)));
    }

    [Fact]
    public void Compile_Error_KeepsColumnAndDetail()
    {
        var error = Assert.Throws<TransformationException>(() => Compile("a + s", "float64", A, S));

        Assert.Equal(3, error.Column);
        Assert.Equal("operator '+' needs numbers, got float64 and string; join strings with concat(a, b)", error.Detail);
    }

    [Fact]
    public void EvaluateRow_InputOfWrongType_Throws()
    {
        var compiled = Compile("a + 1", "float64", A);

        var error = Assert.Throws<TransformationException>(() => compiled.EvaluateRow(["1.5"], new object?[1]));

        Assert.Equal("input 'a' is declared float64 but the value is a String", error.Message);
    }

    [Fact]
    public void Compile_AmbiguousName_SuggestsQualifiedNames()
    {
        var inputs = new Dictionary<string, DataType>
        {
            ["v1.rate"] = DataType.Float64,
            ["v2.rate"] = DataType.Float64,
        };

        var error = Assert.Throws<TransformationException>(() => CompiledOnDemandView.Compile(View("rate * 2"), inputs));

        Assert.Equal("unknown name 'rate'; it is ambiguous, qualify it as v1.rate or v2.rate", error.Detail);
    }

    [Fact]
    public void Compile_QualifiedName_ReadsThatInput()
    {
        var inputs = new Dictionary<string, DataType> { ["v1.rate"] = DataType.Float64 };
        var compiled = CompiledOnDemandView.Compile(View("v1.rate * 2"), inputs);
        var output = new object?[1];

        compiled.EvaluateRow([1.25], output);

        Assert.Equal(2.5, output[0]);
    }

    public static TheoryData<string, int> TooDeep() => new()
    {
        // Reported in the 0.1 trial as stack overflows that killed the process.
        { new string('(', 6000) + "a" + new string(')', 6000), 201 },
        { string.Concat(Enumerable.Repeat("abs(", 3200)) + "a" + new string(')', 3200), 801 },
        { "a" + string.Concat(Enumerable.Repeat(" + 1", 8300)), 799 },
        { string.Concat(Enumerable.Repeat("-", 100_000)) + "a", 201 },
    };

    [Theory]
    [MemberData(nameof(TooDeep))]
    public void Parse_NestedBeyondTheLimit_FailsWithColumnInsteadOfOverflowingTheStack(string expression, int column)
    {
        // Column: the opening that goes one level past 200: the 201st '(' or '-', the 201st 'abs' (4 characters
        // each), or the operator that makes the 201st level of a chain (the 200th + sits at 0-based 2 + 199 * 4).
        Assert.Equal(
            $"expression column {column}: the expression nests deeper than 200 levels (parentheses, calls and chained operators count); split it into several features",
            Detail(expression, "float64", A));
    }

    [Fact]
    public void Eval_ChainJustWithinTheLimit_Computes()
    {
        // 199 additions of 1 to a = 1: a tree 200 levels deep, the most the parser accepts.
        var expression = "a" + string.Concat(Enumerable.Repeat(" + 1", 199));

        Assert.Equal(200.0, Eval(expression, "float64", A));
    }
}
