using static Granary.Tests.Transformations.Harness;

namespace Granary.Tests.Transformations;

public class LookupTests
{
    [Theory]
    [InlineData("USD", 1.0)]
    [InlineData("SEK", 0.094)]
    [InlineData("EUR", 1.08)]
    public void Lookup_OfKnownKey_GivesValue(string currency, double expected)
    {
        Assert.Equal(expected, Eval("lookup(fx_to_usd, currency)", "float64", new Input("currency", "string", currency)));
    }

    [Fact]
    public void Lookup_InArithmetic_ConvertsPrice()
    {
        var result = Eval("price * lookup(fx_to_usd, currency)", "float64", new Input("price", "float64", 250.0), new Input("currency", "string", "USD"));

        Assert.Equal(250.0, result);
    }

    [Fact]
    public void Lookup_OfMissingKey_GivesNull()
    {
        Assert.Null(Eval("lookup(fx_to_usd, currency)", "float64", new Input("currency", "string", "JPY")));
    }

    [Fact]
    public void Lookup_OfMissingKey_MakesProductNull()
    {
        var result = Eval("price * lookup(fx_to_usd, currency)", "float64", new Input("price", "float64", 250.0), new Input("currency", "string", "JPY"));

        Assert.Null(result);
    }

    [Fact]
    public void Lookup_WithIntegerKey_UsesDecimalDigits()
    {
        Assert.Equal(20.0, Eval("lookup(tier_bonus, tier)", "float64", new Input("tier", "int64", 2L)));
    }

    [Fact]
    public void Lookup_InTableWithText_GivesString()
    {
        Assert.Equal("A", Eval("lookup(grade, level)", "string", new Input("level", "string", "gold")));
    }

    [Fact]
    public void Lookup_IsCaseSensitive()
    {
        Assert.Null(Eval("lookup(fx_to_usd, currency)", "float64", new Input("currency", "string", "usd")));
    }
}
