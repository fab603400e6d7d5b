using Granary.Definitions;
using Granary.Skew;

namespace Granary.Tests.Skew;

/// <summary>
/// A served time comes back from the log floored to the millisecond; the offline join's time is exact. The two
/// are compared as the log keeps them, so an instant is never "older" than itself, before 1970 too.
/// </summary>
public sealed class SkewValuesTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public static TheoryData<DateTimeOffset, DateTimeOffset, string> Causes => new()
    {
        // The same instant, the served one as logged (floored): the values differ at the same event time.
        { Epoch.AddTicks(1_239_999), Epoch.AddTicks(1_230_000), SkewValues.ValueDiffers },
        { Epoch.AddTicks(-5_000), Epoch.AddTicks(-10_000), SkewValues.ValueDiffers }, // -0.5 ms is logged as -1 ms
        // A millisecond or more older: materialization lag.
        { Epoch.AddTicks(1_239_999), Epoch.AddTicks(1_220_000), SkewValues.StaleOnline },
        { Epoch.AddTicks(-5_000), Epoch.AddTicks(-20_000), SkewValues.StaleOnline },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void Cause_OfflineTimeAgainstTheLoggedOne(DateTimeOffset offlineTime, DateTimeOffset loggedTime, string cause) =>
        Assert.Equal(cause, SkewValues.Cause(1.0, 2.0, loggedTime, offlineTime));

    [Fact]
    public void Equal_TimestampValues_ToTheFlooredMillisecond()
    {
        var type = DataType.Parse("unix_timestamp");

        Assert.True(SkewValues.Equal(Epoch.AddTicks(-5_000), Epoch.AddTicks(-10_000), type));
        Assert.False(SkewValues.Equal(Epoch.AddTicks(-5_000), Epoch, type));
        Assert.True(SkewValues.Equal(Epoch.AddTicks(9_999), Epoch, type));
    }
}
