using Granary.Definitions;

namespace Granary.Tests.Definitions;

/// <summary>Window edges, hops and result types of aggregation views, worked by hand.</summary>
public sealed class AggregationViewTests
{
    private static readonly DateTimeOffset Noon = new(2024, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("29m", 5)]
    [InlineData("11h55m", 5)]
    [InlineData("12h", 60)]
    [InlineData("7d", 60)]
    [InlineData("11d23h", 60)]
    [InlineData("12d", 1440)]
    [InlineData("30d", 1440)]
    public void AutomaticHop_ByWindow_Is5MinutesUnder12Hours1HourUnder12Days1DayBeyond(string window, int minutes)
    {
        Assert.True(Duration.TryParse(window, out var length));

        Assert.Equal(TimeSpan.FromMinutes(minutes), AggregationView.AutomaticHop(length));
    }

    [Fact]
    public void WindowStart_Exact_IsTimeMinusWindowToTheMicrosecond()
    {
        var t = Noon.AddTicks(12_345_678); // 1.2345678 s past noon: 1,234,567 µs and 8 ticks

        Assert.Equal(Noon.AddHours(-1).AddTicks(12_345_670), AggregationView.WindowStart(t, TimeSpan.FromHours(1), TimeSpan.Zero));
    }

    [Theory]
    [InlineData(0, 0, "2024-03-10T11:00:00Z")]      // 12:00 - 1h = 11:00, already a multiple of 1h
    [InlineData(0, 1, "2024-03-10T11:00:00Z")]      // 12:00:00.000001 - 1h rounds down to 11:00
    [InlineData(59, 0, "2024-03-10T11:00:00Z")]     // 12:59 - 1h = 11:59 rounds down to 11:00
    [InlineData(60, 0, "2024-03-10T12:00:00Z")]     // 13:00 - 1h = 12:00
    public void WindowStart_Tiled_RoundsDownToAMultipleOfTheHop(int minutesAfterNoon, int microseconds, string expected)
    {
        var t = Noon.AddMinutes(minutesAfterNoon).AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), AggregationView.WindowStart(t, TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void WindowStart_WeekHop_CountsFromTheUnixEpochNotAMonday()
    {
        // 1970-01-01 was a Thursday: multiples of 7 days from the epoch fall on Thursdays.
        var t = new DateTimeOffset(2024, 3, 20, 0, 0, 0, TimeSpan.Zero); // a Wednesday

        Assert.Equal(new DateTimeOffset(2024, 3, 7, 0, 0, 0, TimeSpan.Zero), AggregationView.WindowStart(t, TimeSpan.FromDays(7), TimeSpan.FromDays(7)));
    }

    [Fact]
    public void WindowStart_BeforeTheEpoch_StillRoundsTowardThePast()
    {
        var t = new DateTimeOffset(1969, 12, 31, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(1969, 12, 31, 22, 0, 0, TimeSpan.Zero), AggregationView.WindowStart(t, TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Features_ResolvedColumnTypes_GiveTheDocumentedTypes()
    {
        var view = new AggregationView
        {
            Name = "v",
            Entities = ["user"],
            Source = "s",
            Aggregations =
            [
                new Aggregation { Column = "qty", Function = AggregationFunction.Sum, Windows = ["1h"], ColumnType = new DataType(ScalarType.Int32) },
                new Aggregation { Column = "amount", Function = AggregationFunction.Sum, Windows = ["1h"], ColumnType = new DataType(ScalarType.Float32) },
                new Aggregation { Column = "qty", Function = AggregationFunction.Max, Windows = ["1h"], ColumnType = new DataType(ScalarType.Int32) },
                new Aggregation { Column = "qty", Function = AggregationFunction.Avg, Windows = ["1h"], ColumnType = new DataType(ScalarType.Int32) },
                new Aggregation { Column = "merchant", Function = AggregationFunction.LastK, K = 2, Windows = ["1d"], ColumnType = DataType.String },
                new Aggregation { Column = "merchant", Function = AggregationFunction.CountDistinct, Windows = ["1d"], ColumnType = DataType.String },
                new Aggregation { Function = AggregationFunction.Count, Windows = ["30m", "3600s"] },
            ],
        };

        Assert.Equal(
            ["qty_sum_1h:int64", "amount_sum_1h:float64", "qty_max_1h:int32", "qty_avg_1h:float64", "merchant_last_2_1d:string_list", "merchant_count_distinct_1d:int64", "count_30m:int64", "count_3600s:int64"],
            view.Features.Select(f => $"{f.Field.Name}:{f.Field.Dtype}"));
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)), (view.Features[^1].Window, view.Features[^1].Hop));
    }

    [Fact]
    public void Features_ColumnTypeNotYetRead_SaysToApply()
    {
        var view = new AggregationView { Name = "v", Entities = ["user"], Source = "s", Aggregations = [new Aggregation { Column = "qty", Function = AggregationFunction.Max, Windows = ["1h"] }] };

        var error = Assert.Throws<GranaryException>(() => view.Features);

        Assert.Contains("the type of column 'qty' is not known", error.Message, StringComparison.Ordinal);
    }
}
