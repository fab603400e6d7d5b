using static Granary.Tests.Transformations.Harness;

namespace Granary.Tests.Transformations;

public class TimeTests
{
    private static Input At(string name, int year, int month, int day, int hour, int minute = 0, int second = 0) =>
        new(name, "unix_timestamp", new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero));

    [Fact]
    public void HourOfDay_OfFridayAfternoon_Is13()
    {
        Assert.Equal(13, Eval("hour_of_day(request_time)", "int32", At("request_time", 2024, 3, 15, 13, 45)));
    }

    [Theory]
    [InlineData(15, 5)] // 2024-03-15: 74 days after Monday 2024-01-01, 74 % 7 = 4, so Friday
    [InlineData(17, 7)] // Sunday
    [InlineData(18, 1)] // Monday
    public void DayOfWeek_IsIsoNumbering(int day, int expected)
    {
        Assert.Equal(expected, Eval("day_of_week(request_time)", "int32", At("request_time", 2024, 3, day, 12)));
    }

    [Fact]
    public void HourOfDay_BeforeEpoch_CountsFromMidnight()
    {
        Assert.Equal(23, Eval("hour_of_day(t)", "int32", At("t", 1969, 12, 31, 23, 30)));
    }

    [Fact]
    public void DayOfWeek_BeforeEpoch_IsWednesdayForNewYearsEve1969()
    {
        Assert.Equal(3, Eval("day_of_week(t)", "int32", At("t", 1969, 12, 31, 23, 30)));
    }

    [Fact]
    public void SecondsBetween_IsSecondMinusFirst()
    {
        var result = Eval("seconds_between(event_time, request_time)", "float64", At("event_time", 2024, 3, 15, 13, 0, 0), At("request_time", 2024, 3, 15, 13, 45, 30));

        Assert.Equal(2730.0, result);
    }

    [Fact]
    public void SecondsBetween_Reversed_IsNegative()
    {
        var result = Eval("seconds_between(request_time, event_time)", "float64", At("event_time", 2024, 3, 15, 13, 0, 0), At("request_time", 2024, 3, 15, 13, 45, 30));

        Assert.Equal(-2730.0, result);
    }

    [Fact]
    public void SecondsBetween_WithNullEventTime_GivesNull()
    {
        var result = Eval("seconds_between(event_time, request_time)", "float64", new Input("event_time", "unix_timestamp", null), At("request_time", 2024, 3, 15, 13));

        Assert.Null(result);
    }

    [Fact]
    public void RequestTime_WithoutDeclaringIt_IsAnInput()
    {
        var compiled = Compile("hour_of_day(request_time)", "int32");

        Assert.Equal(["request_time"], compiled.InputNames);
    }

    [Fact]
    public void Timestamp_AsOutput_RoundTrips()
    {
        var at = new DateTimeOffset(2024, 3, 15, 13, 45, 30, 123, TimeSpan.Zero);

        Assert.Equal(at, Eval("request_time", "unix_timestamp", new Input("request_time", "unix_timestamp", at)));
    }

    [Fact]
    public void String_OfTimestamp_IsIso8601WithMicroseconds()
    {
        var at = new DateTimeOffset(2024, 3, 15, 13, 45, 30, 123, TimeSpan.Zero);

        Assert.Equal("2024-03-15T13:45:30.123000Z", Eval("string(t)", "string", new Input("t", "unix_timestamp", at)));
    }
}
