using Granary.Definitions;
using Granary.Registry;

namespace Granary.Tests.Registry;

/// <summary>
/// The apply planner's decisions, case by case. The stored on-demand view's storage names are worked
/// out by hand: <c>odfv__scored__</c> and the first 4 bytes of the SHA-256 of the view's schema and
/// constants as the registry writes them (checked in <c>StoredOnDemandViewTests</c>).
/// </summary>
public sealed class OnlineStoragePlanTests
{
    /// <summary>Storage of <c>scored</c> computing <c>conv_rate * 2</c>.</summary>
    private const string ScoredTimesTwo = "odfv__scored__fb265408";

    /// <summary>Storage of <c>scored</c> computing <c>conv_rate * 3</c>.</summary>
    private const string ScoredTimesThree = "odfv__scored__7c32e1e0";

    private static readonly FeatureView Stats = new()
    {
        Name = "stats",
        Entities = ["driver"],
        Source = "s1",
        Ttl = TimeSpan.FromHours(2),
        Schema = [new Field { Name = "conv_rate", Dtype = DataType.Float64 }, new Field { Name = "trips", Dtype = DataType.Int64 }],
    };

    private static readonly FeatureView Daily = new()
    {
        Name = "daily",
        Entities = ["driver"],
        Source = "s1",
        Schema = [new Field { Name = "rating", Dtype = DataType.Float64 }],
    };

    private static DefinitionSet Set(IEnumerable<FeatureView> views, params OnDemandFeatureView[] onDemand) => new()
    {
        Entities = [new Entity { Name = "driver" }, new Entity { Name = "rider" }],
        Sources = [new FileSource { Name = "s1", Path = "s1.parquet" }, new FileSource { Name = "s2", Path = "s2.parquet" }],
        FeatureViews = views.ToArray(),
        OnDemandFeatureViews = onDemand,
    };

    private static OnDemandFeatureView Scored(string expression, bool stored = true) => new()
    {
        Name = "scored",
        Sources = ["stats"],
        Schema = [new Field { Name = "score", Dtype = DataType.Float64, Expression = expression }],
        WriteToOnlineStore = stored,
    };

    private static OnlineStoragePlan Plan(DefinitionSet? registered, DefinitionSet desired) =>
        OnlineStoragePlan.Compute(registered, desired, RegistryDiff.Compute(registered, desired));

    private static string[] Names(IEnumerable<FeatureView> views) => views.Select(v => v.Name).ToArray();

    [Fact]
    public void Compute_NewProject_KeepsOnlineViewsAndChangesNothingElse()
    {
        var plan = Plan(null, Set([Stats, Daily with { Online = false }]));

        Assert.Equal(["stats"], Names(plan.Keep));
        Assert.Empty(plan.Rebuild);
        Assert.Empty(plan.Delete);
        Assert.Empty(plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_ViewAdded_IsKeptWithoutRebuildOrReset()
    {
        var plan = Plan(Set([Stats]), Set([Stats, Daily]));

        Assert.Equal(["stats", "daily"], Names(plan.Keep));
        Assert.Empty(plan.Rebuild);
        Assert.Empty(plan.Delete);
        Assert.Empty(plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_ViewRemoved_IsDeleted()
    {
        var plan = Plan(Set([Stats, Daily]), Set([Stats]));

        Assert.Equal(["stats"], Names(plan.Keep));
        Assert.Equal(["daily"], Names(plan.Delete));
        Assert.Empty(plan.Rebuild);
        Assert.Empty(plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_KeyChanged_RebuildsTheOldStorageAndResetsMaterializations()
    {
        var registered = Set([Stats]);

        var plan = Plan(registered, Set([Stats with { Entities = ["rider"] }]));

        Assert.Same(registered.FeatureViews[0], Assert.Single(plan.Rebuild));
        Assert.Equal(["rider"], Assert.Single(plan.Keep).Entities);
        Assert.Empty(plan.Delete);
        Assert.Equal(["stats"], plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_FeatureTypeChanged_RebuildsAndResets()
    {
        var plan = Plan(Set([Stats]), Set([Stats with { Schema = [Stats.Schema[0], Stats.Schema[1] with { Dtype = DataType.Float64 }] }]));

        Assert.Equal(["stats"], Names(plan.Rebuild));
        Assert.Equal(["stats"], plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_FeaturesReordered_RebuildsAndResets()
    {
        var plan = Plan(Set([Stats]), Set([Stats with { Schema = [Stats.Schema[1], Stats.Schema[0]] }]));

        Assert.Equal(["stats"], Names(plan.Rebuild));
        Assert.Equal(["stats"], plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_SourceChanged_RebuildsAndResets()
    {
        var plan = Plan(Set([Stats]), Set([Stats with { Source = "s2" }]));

        Assert.Equal(["stats"], Names(plan.Rebuild));
        Assert.Equal(["stats"], plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_OnlyDescriptionAndTtlChanged_KeepsRowsAndIntervals()
    {
        // Neither changes what the stored rows hold: the ttl applies at read time.
        var plan = Plan(Set([Stats]), Set([Stats with { Description = "hourly", Ttl = TimeSpan.FromHours(5) }]));

        Assert.Equal(["stats"], Names(plan.Keep));
        Assert.Empty(plan.Rebuild);
        Assert.Empty(plan.Delete);
        Assert.Empty(plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_TurnedOffline_DeletesWithoutReset()
    {
        var plan = Plan(Set([Stats]), Set([Stats with { Online = false }]));

        Assert.Empty(plan.Keep);
        Assert.Equal(["stats"], Names(plan.Delete));
        Assert.Empty(plan.Rebuild);
        Assert.Empty(plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_TurnedOnline_KeepsAndResetsWithoutRebuild()
    {
        // No rows were stored while offline, so there is nothing to rebuild, but old intervals must not be resumed.
        var plan = Plan(Set([Stats with { Online = false }]), Set([Stats]));

        Assert.Equal(["stats"], Names(plan.Keep));
        Assert.Empty(plan.Rebuild);
        Assert.Empty(plan.Delete);
        Assert.Equal(["stats"], plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_StoredOnDemandViewAdded_KeepsItsStorageAndResetsItsSources()
    {
        var plan = Plan(Set([Stats]), Set([Stats], Scored("conv_rate * 2")));

        Assert.Equal(["stats", ScoredTimesTwo], Names(plan.Keep));
        Assert.Empty(plan.Delete);
        Assert.Equal(["stats"], plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_StoredOnDemandViewUnchanged_ChangesNothing()
    {
        var plan = Plan(Set([Stats], Scored("conv_rate * 2")), Set([Stats], Scored("conv_rate * 2")));

        Assert.Equal(["stats", ScoredTimesTwo], Names(plan.Keep));
        Assert.Empty(plan.Delete);
        Assert.Empty(plan.Rebuild);
        Assert.Empty(plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_StoredOnDemandViewComputesDifferently_DeletesOldStorageKeepsNewAndResetsSources()
    {
        var plan = Plan(Set([Stats], Scored("conv_rate * 2")), Set([Stats], Scored("conv_rate * 3")));

        Assert.Equal(["stats", ScoredTimesThree], Names(plan.Keep));
        Assert.Equal([ScoredTimesTwo], Names(plan.Delete));
        Assert.Empty(plan.Rebuild);
        Assert.Equal(["stats"], plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_OnDemandViewNoLongerStored_DeletesItsStorage()
    {
        var plan = Plan(Set([Stats], Scored("conv_rate * 2")), Set([Stats], Scored("conv_rate * 2", stored: false)));

        Assert.Equal(["stats"], Names(plan.Keep));
        Assert.Equal([ScoredTimesTwo], Names(plan.Delete));
        Assert.Empty(plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_SourceOfStoredViewRebuilt_ResetsTheSourceOnce()
    {
        var plan = Plan(Set([Stats]), Set([Stats with { Source = "s2" }], Scored("conv_rate * 2")));

        Assert.Equal(["stats"], plan.ResetMaterializations);
    }

    private static DefinitionSet WithCounts(bool online, TimeSpan? hop) => Set([Stats]) with
    {
        AggregationViews =
        [
            new AggregationView
            {
                Name = "counts",
                Entities = ["driver"],
                Source = "s1",
                Hop = hop,
                Online = online,
                Aggregations = [new Aggregation { Function = AggregationFunction.Count, Windows = ["1h"] }],
            },
        ],
    };

    [Fact]
    public void Compute_OnlineAggregationViewsHopChanged_DropsItsStatesAndResetsIt()
    {
        var plan = Plan(WithCounts(online: true, hop: null), WithCounts(online: true, hop: TimeSpan.Zero));

        Assert.Equal(["counts"], plan.DeleteAggregationStates);
        Assert.Contains("counts", plan.ResetMaterializations);
    }

    [Fact]
    public void Compute_OfflineOnlyAggregationViewsHopChanged_LeavesTheOnlineStoreAlone()
    {
        // The view was never online, so it has no states to drop: apply needs no online store for it.
        var registered = WithCounts(online: false, hop: null) with { FeatureViews = [Stats with { Online = false }] };
        var desired = WithCounts(online: false, hop: TimeSpan.Zero) with { FeatureViews = [Stats with { Online = false }] };

        var plan = Plan(registered, desired);

        Assert.Empty(plan.DeleteAggregationStates);
        Assert.True(plan.IsEmpty);
    }
}
