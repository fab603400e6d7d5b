using Granary.Definitions;
using Granary.Online;
using Granary.Transformations;

namespace Granary.Tests.Transformations;

/// <summary>Row-wise on-demand computation over values read online; every expected value is worked out by hand.</summary>
public sealed class OnDemandRowsTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly FeatureView Stats = new()
    {
        Name = "stats",
        Entities = ["driver"],
        Source = "s1",
        Ttl = TimeSpan.FromHours(1),
        Schema = [new Field { Name = "trips", Dtype = DataType.Int64 }, new Field { Name = "conv_rate", Dtype = DataType.Float64 }],
    };

    private static readonly DefinitionSet Set = new()
    {
        Entities = [new Entity { Name = "driver" }],
        Sources = [new FileSource { Name = "s1", Path = "s1.parquet" }],
        RequestSources = [new RequestSource { Name = "req", Schema = [new Field { Name = "val_to_add", Dtype = DataType.Float64 }] }],
        FeatureViews = [Stats],
        OnDemandFeatureViews =
        [
            new OnDemandFeatureView
            {
                Name = "adjusted",
                Sources = ["stats", "req"],
                Schema = [new Field { Name = "plus", Dtype = DataType.Float64, Expression = "conv_rate + val_to_add" }],
            },
        ],
    };

    /// <summary>Three rows: read 30 minutes ago (0.5), read 2 hours ago (0.25, outside the 1 hour ttl), not found.</summary>
    private static readonly IReadOnlyList<OnlineRead?> Found =
    [
        new OnlineRead(Now.AddMinutes(-30), [0.5]),
        new OnlineRead(Now.AddHours(-2), [0.25]),
        null,
    ];

    private static Dictionary<(string View, string Feature), object?[]> Compute(DateTimeOffset? now, IReadOnlyDictionary<string, IReadOnlyList<object?>> request)
    {
        var selection = FeatureSelection.FromReferences(Set, ["adjusted:plus"], fullFeatureNames: false);
        var plan = OnDemandPlan.For(Set, selection, view => CompiledOnDemandView.Compile(view, Set));

        // Only conv_rate is read, so its value is the first and only one of each row found.
        var reads = new Dictionary<string, OnlineViewRead> { ["stats"] = new(Stats, [Stats.Schema[1]]) };
        var found = new Dictionary<string, IReadOnlyList<OnlineRead?>> { ["stats"] = Found };
        return OnDemandRows.Compute(plan, request, 3, reads, found, now);
    }

    private static readonly Dictionary<string, IReadOnlyList<object?>> Request = new() { ["val_to_add"] = [1.0, 1.0, 1.0] };

    [Fact]
    public void Compute_AtReadTime_RowOutsideTtlOrMissingFeedsNull()
    {
        var computed = Compute(Now, Request);

        Assert.Equal([1.5, null, null], computed[("adjusted", "plus")]);
    }

    [Fact]
    public void Compute_AtWriteTime_NoTtlApplies()
    {
        var computed = Compute(null, Request);

        Assert.Equal([1.5, 1.25, null], computed[("adjusted", "plus")]);
    }

    [Fact]
    public void Compute_RequestFieldAsText_IsConvertedToItsType()
    {
        var computed = Compute(Now, new Dictionary<string, IReadOnlyList<object?>> { ["val_to_add"] = ["2", "2", "2"] });

        Assert.Equal([2.5, null, null], computed[("adjusted", "plus")]);
    }

    [Fact]
    public void Compute_RequestFieldMissing_FailsNamingIt()
    {
        var error = Assert.Throws<GranaryException>(() => Compute(Now, new Dictionary<string, IReadOnlyList<object?>>()));

        Assert.Equal("request field 'val_to_add' (float64) is missing: pass it beside the join keys", error.Message);
    }
}
