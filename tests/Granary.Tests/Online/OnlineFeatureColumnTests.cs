using Granary.Definitions;
using Granary.Online;

namespace Granary.Tests.Online;

public sealed class OnlineFeatureColumnTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static FeatureView View(TimeSpan ttl) => new()
    {
        Name = "stats",
        Entities = ["driver"],
        Source = "s1",
        Ttl = ttl,
        Schema = [new Field { Name = "conv_rate", Dtype = DataType.Float64 }],
    };

    /// <summary>Fresh, 2 hours old, missing, fresh with a null value, exactly 1 hour old.</summary>
    private static readonly IReadOnlyList<OnlineRead?> Rows =
    [
        new OnlineRead(Now.AddMinutes(-30), [0.5]),
        new OnlineRead(Now.AddHours(-2), [0.25]),
        null,
        new OnlineRead(Now.AddMinutes(-5), [null]),
        new OnlineRead(Now.AddHours(-1), [0.75]),
    ];

    [Fact]
    public void Read_OneHourTtl_HandWorkedStatuses()
    {
        var column = OnlineFeatureColumn.Read(View(TimeSpan.FromHours(1)), Rows, OnlineFeatureColumn.EventTimesOf(Rows, Rows.Count), 0, Rows.Count, Now);

        // A row exactly as old as the ttl is still inside it, as in the point-in-time join.
        Assert.Equal([FeatureStatus.Present, FeatureStatus.OutsideMaxAge, FeatureStatus.NotFound, FeatureStatus.NullValue, FeatureStatus.Present], column.Statuses);
        Assert.Equal([0.5, null, null, null, 0.75], column.Values);
        Assert.Equal([Now.AddMinutes(-30), Now.AddHours(-2), null, Now.AddMinutes(-5), Now.AddHours(-1)], column.EventTimestamps);
    }

    [Fact]
    public void Read_NoTtl_ServesOldRows()
    {
        var column = OnlineFeatureColumn.Read(View(TimeSpan.Zero), Rows, OnlineFeatureColumn.EventTimesOf(Rows, Rows.Count), 0, Rows.Count, Now);

        Assert.Equal([0.5, 0.25, null, null, 0.75], column.Values);
        Assert.Equal(FeatureStatus.Present, column.Statuses[1]);
    }

    [Fact]
    public void Computed_NullAndValue_NullValueAndPresent()
    {
        var column = OnlineFeatureColumn.Computed([null, 2.0]);

        Assert.Equal([FeatureStatus.NullValue, FeatureStatus.Present], column.Statuses);
        Assert.Equal([null, null], column.EventTimestamps);
    }
}
