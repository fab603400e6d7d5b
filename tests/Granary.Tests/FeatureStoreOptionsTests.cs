namespace Granary.Tests;

public sealed class FeatureStoreOptionsTests
{
    [Fact]
    public void Defaults_RefreshOnReadEveryFiveSeconds()
    {
        var options = new FeatureStoreOptions();

        options.Validate();
        Assert.Equal(RegistryRefreshMode.OnRead, options.RegistryRefresh);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RegistryRefreshInterval);
        Assert.Null(options.Transformations);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(86_400)]
    public void Validate_IntervalAtTheEndsOfItsRange_Passes(int seconds)
    {
        var error = Record.Exception(() => new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.FromSeconds(seconds) }.Validate());

        Assert.Null(error);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(86_401)]
    public void Validate_IntervalOutOfRange_FailsNamingItAndTheRange(int seconds)
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.FromSeconds(seconds) }.Validate());

        Assert.Equal("FeatureStoreOptions: RegistryRefreshInterval must be 0 to 1 day", error.Message);
    }

    [Fact]
    public void Validate_UnknownRefreshMode_FailsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureStoreOptions { RegistryRefresh = (RegistryRefreshMode)7 }.Validate());

        Assert.Equal("FeatureStoreOptions: RegistryRefresh must be OnRead or ByHost", error.Message);
    }
}
