using Granary.Offline;

namespace Granary.Tests.Offline;

public sealed class IsoTimestampTests
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2021-04-12", 0)]
    [InlineData("2021-04-12T10:30", 630)]
    [InlineData("2021-04-12 10:30:00", 630)]
    [InlineData("2021-04-12T10:30:00Z", 630)]
    [InlineData("2021-04-12t10:30:00z", 630)]
    [InlineData("2021-04-12T12:30:00+02:00", 630)]
    [InlineData("2021-04-12T12:30:00+0200", 630)]
    [InlineData("2021-04-12T12:30:00+02", 630)]
    [InlineData("2021-04-12 05:30:00-05:00", 630)]
    [InlineData("2021-04-12 10:30:00 +00:00", 630)]
    [InlineData("2021-04-12 00:30:00+01", -30)]
    public void TryParse_AcceptedForms_GiveTheUtcInstant(string text, int minutesAfterMidnight)
    {
        Assert.True(IsoTimestamp.TryParse(text, out var utc));
        Assert.Equal(Day.AddMinutes(minutesAfterMidnight), utc);
        Assert.Equal(TimeSpan.Zero, utc.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2021")]
    [InlineData("2021-4-12")]
    [InlineData("12/04/2021")]
    [InlineData("2021-02-30")]
    [InlineData("2021-04-12T24:00:00")]
    [InlineData("2021-04-12T10")]
    [InlineData("2021-04-12T10:00:00.")]
    [InlineData("2021-04-12T10:00:00.1234567890")]
    [InlineData("2021-04-12T10:00:00+2")]
    [InlineData("2021-04-12T10:00:00 ")]
    [InlineData(" 2021-04-12")]
    [InlineData("2021-04-12T10:00:00 UTC")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    public void TryParse_OtherText_IsNotATime(string text) =>
        Assert.False(IsoTimestamp.TryParse(text, out _));

    [Fact]
    public void TryParse_Fraction_KeepsSevenDigits() =>
        Assert.Equal(Day.AddTicks(1_234_567), IsoTimestamp.TryParse("2021-04-12T00:00:00.123456789Z", out var utc) ? utc : default);
}
