using Apache.Arrow;
using Granary.Definitions;
using Granary.Offline;
using Granary.Skew;
using Granary.Statistics;
using Field = Granary.Definitions.Field;

namespace Granary.Tests.Skew;

public sealed class SkewTallyTests
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double hours) => Day.AddHours(hours);

    /// <summary>
    /// Nine logged rows (driver, read time, served, offline); all but the 09:00 one differ. By read time, then
    /// driver id as text: 09:30 1002; 10:00 1001, 1003, 1010; 11:00 1001, 1004; 12:00 1001; 13:00 1001.
    /// </summary>
    private static readonly (long Driver, DateTimeOffset Time, double Served, double Offline)[] Logged =
    [
        (1003, At(10), 1.0, 2.0),
        (1001, At(10), 1.0, 2.0),
        (1002, At(9), 1.0, 1.0),
        (1004, At(11), 1.0, 3.0),
        (1001, At(12), 1.0, 4.0),
        (1002, At(9.5), 1.0, 5.0),
        (1010, At(10), 1.0, 6.0),
        (1001, At(11), 5.0, 6.0),
        (1001, At(13), 1.0, 7.0),
    ];

    private static FeatureSkew Tally(params (long Driver, DateTimeOffset Time, double Served, double Offline)[][] batches)
    {
        var field = new Field { Name = "conv_rate", Dtype = DataType.Float64 };
        var view = new FeatureView { Name = "hourly", Entities = ["driver"], Source = "stats", Schema = [field] };
        var tally = new SkewTally(new ObservedFeature("hourly__conv_rate", view, field));
        foreach (var rows in batches)
        {
            var batch = ArrowBatches.FromColumns(
            [
                ("driver_id", typeof(long), rows.Select(r => (object?)r.Driver).ToArray()),
                ("__log_timestamp", typeof(DateTimeOffset), rows.Select(r => (object?)r.Time).ToArray()),
                ("served", typeof(double), rows.Select(r => (object?)r.Served).ToArray()),
                ("offline", typeof(double), rows.Select(r => (object?)r.Offline).ToArray()),
            ], rows.Length);
            var context = new SkewTally.Rows([("driver_id", batch.Column(0))], (TimestampArray)batch.Column(1));
            tally.Add(batch.Column(2), null, null, batch.Column(3), null, context);
        }

        return tally.Result();
    }

    [Fact]
    public void Result_MoreMismatchesThanExamplesInAnyOrder_KeepsTheEarliestByTimeThenKeys()
    {
        var inOrder = Tally(Logged);
        var reversed = Tally(Logged[5..].Reverse().ToArray(), Logged[..5].Reverse().ToArray());
        var interleaved = Tally(Logged.Where((_, i) => i % 2 == 1).ToArray(), Logged.Where((_, i) => i % 2 == 0).ToArray());

        (long, DateTimeOffset, object?)[] expected =
            [(1002, At(9.5), 5.0), (1001, At(10), 2.0), (1003, At(10), 2.0), (1010, At(10), 6.0), (1001, At(11), 6.0)];
        foreach (var result in new[] { inOrder, reversed, interleaved })
        {
            Assert.Equal((9L, 1L), (result.Compared, result.Matches));
            Assert.Equal(expected, result.Examples.Select(e => ((long)e.Entity["driver_id"]!, e.LogTimestamp, e.Offline)));
            Assert.All(result.Examples, e => Assert.Equal("value_differs", e.Cause));
        }
    }
}
