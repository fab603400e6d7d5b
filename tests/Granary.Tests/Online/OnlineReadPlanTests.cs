using Granary.Definitions;
using Granary.Online;
using Granary.Registry;
using Granary.Transformations;

namespace Granary.Tests.Online;

public sealed class OnlineReadPlanTests
{
    private static readonly DefinitionSet Set = new()
    {
        Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }, new Entity { Name = "rider", JoinKeys = ["rider_id"], ValueType = DataType.String }],
        Sources = [new FileSource { Name = "s1", Path = "s1.parquet" }],
        FeatureViews =
        [
            View("stats", ["driver"], "conv_rate", "trips"),
            View("daily", ["driver"], "rating"),
            View("rider_stats", ["rider"], "spend"),
            View("archive", ["driver"], "old") with { Online = false },
        ],
        OnDemandFeatureViews =
        [
            new OnDemandFeatureView
            {
                Name = "doubled",
                Sources = ["stats"],
                Schema = [new Field { Name = "twice", Dtype = DataType.Float64, Expression = "conv_rate * 2" }],
            },
            new OnDemandFeatureView
            {
                Name = "stored",
                Sources = ["daily"],
                Schema = [new Field { Name = "half", Dtype = DataType.Float64, Expression = "rating / 2" }],
                WriteToOnlineStore = true,
            },
        ],
    };

    private static FeatureView View(string name, string[] entities, params string[] features) => new()
    {
        Name = name,
        Entities = entities,
        Source = "s1",
        Schema = features.Select(f => new Field { Name = f, Dtype = DataType.Float64 }).ToArray(),
    };

    private static OnlineReadPlan Plan(params string[] features) => OnlineReadPlan.Build(
        new RegistrySnapshot { Project = "p", Version = 1, UpdatedAt = DateTimeOffset.UnixEpoch, Definitions = Set },
        new OnlineFeaturesRequest { Features = features, Entities = new Dictionary<string, IReadOnlyList<object?>>() },
        new OnDemandPlanner(null));

    [Fact]
    public void Build_ViewsOfTwoKeySets_OneGroupPerKeySetAndKeysInFirstUseOrder()
    {
        var plan = Plan("rider_stats:spend", "stats:trips", "daily:rating");

        Assert.Equal(["rider_id", "driver_id"], plan.KeyNames);
        Assert.Equal(2, plan.Groups.Count);
        Assert.Equal(["rider_stats"], plan.Groups[0].Reads.Select(r => r.View.Name));
        Assert.Equal(["stats", "daily"], plan.Groups[1].Reads.Select(r => r.View.Name));
        Assert.Equal([DataType.String], plan.Groups[0].KeyTypes);
    }

    [Fact]
    public void Build_OnDemandFeature_ReadsItsInputAfterTheSelectedFeatures()
    {
        var plan = Plan("stats:trips", "doubled:twice");

        Assert.Equal(["trips", "conv_rate"], plan.Reads["stats"].Features.Select(f => f.Name));
        Assert.False(plan.OnDemand.IsEmpty);
        Assert.Null(plan.Outputs[1].View);
        Assert.Equal(("doubled", "twice"), plan.Outputs[1].Computed);
    }

    [Fact]
    public void Build_StoredOnDemandFeature_IsReadFromItsStorageNotComputed()
    {
        var plan = Plan("stored:half");

        var storage = StoredOnDemandView.StorageOf(Set, Set.OnDemandFeatureViews[1]).Name;
        Assert.True(plan.OnDemand.IsEmpty);
        Assert.Equal([storage], plan.Reads.Keys);
        Assert.Equal(storage, plan.Outputs[0].View?.Name);
        Assert.Equal(0, plan.Outputs[0].FieldIndex);
    }

    [Fact]
    public void Build_OfflineView_FailsNamingIt()
    {
        var error = Assert.Throws<GranaryException>(() => Plan("archive:old"));

        Assert.Equal("feature view 'archive' is not online (online: false); it can be used for training data only", error.Message);
    }

    [Fact]
    public void KeysOf_TextKeys_AreConvertedToTheEntityType()
    {
        var group = Plan("stats:trips").Groups[0];

        var keys = group.KeysOf(new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = ["1001", 1002L] }, 2);

        Assert.Equal([1001L, 1002L], keys.Select(k => k.Values[0]));
    }
}
