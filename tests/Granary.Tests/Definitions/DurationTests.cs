using Granary.Definitions;

namespace Granary.Tests.Definitions;

public sealed class DurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1w", 604800)]
    [InlineData("1d12h", 129600)]
    [InlineData("1h30m15s", 5415)]
    public void TryParse_ValidText_GivesSeconds(string text, long seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("d")]
    [InlineData("1x")]
    [InlineData("-1d")]
    [InlineData("1.5h")]
    [InlineData("1d 2h")]
    [InlineData("99999999999999999999d")]
    public void TryParse_InvalidText_Fails(string text) => Assert.False(Duration.TryParse(text, out _));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(86400, "1d")]
    [InlineData(129600, "1d12h")]
    [InlineData(694861, "1w1d1h1m1s")]
    public void Format_Seconds_UsesLargestUnitsFirst(long seconds, string expected) =>
        Assert.Equal(expected, Duration.Format(TimeSpan.FromSeconds(seconds)));
}
