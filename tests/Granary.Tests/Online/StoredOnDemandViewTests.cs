using Granary.Definitions;
using Granary.Online;

namespace Granary.Tests.Online;

public sealed class StoredOnDemandViewTests
{
    private static readonly FeatureView Stats = new()
    {
        Name = "stats",
        Entities = ["driver"],
        Source = "s1",
        Ttl = TimeSpan.FromHours(2),
        Schema = [new Field { Name = "conv_rate", Dtype = DataType.Float64 }],
    };

    private static readonly OnDemandFeatureView Scored = new()
    {
        Name = "scored",
        Sources = ["stats"],
        Schema = [new Field { Name = "score", Dtype = DataType.Float64, Expression = "x * 2" }],
        WriteToOnlineStore = true,
    };

    [Fact]
    public void StorageOf_StoredView_IsNamedByTheHashOfItsComputation()
    {
        // sha256 of the registry's JSON of { schema, constants }, worked out with sha256sum:
        // {"schema": [{"name": "score", "dtype": "float64", "expression": "x * 2"}], "constants": {}},
        // indented by two spaces, starts c5f79463. Existing online data is stored under this name.
        var storage = StoredOnDemandView.StorageOf(new DefinitionSet { FeatureViews = [Stats] }, Scored);

        Assert.Equal("odfv__scored__c5f79463", storage.Name);
    }

    [Fact]
    public void StorageOf_StoredView_IsKeyedLikeItsFirstSourceWithoutExpressions()
    {
        var storage = StoredOnDemandView.StorageOf(new DefinitionSet { FeatureViews = [Stats] }, Scored);

        Assert.Equal(["driver"], storage.Entities);
        Assert.Equal("s1", storage.Source);
        Assert.Equal(TimeSpan.FromHours(2), storage.Ttl);
        Assert.True(storage.Online);
        Assert.Null(Assert.Single(storage.Schema).Expression);
    }

    [Fact]
    public void StorageOf_ConstantsChanged_IsAnotherName()
    {
        var set = new DefinitionSet { FeatureViews = [Stats] };
        var withConstants = Scored with
        {
            Constants = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["fx"] = new Dictionary<string, string> { ["USD"] = "1.0" } },
        };

        Assert.NotEqual(StoredOnDemandView.StorageOf(set, Scored).Name, StoredOnDemandView.StorageOf(set, withConstants).Name);
    }
}
