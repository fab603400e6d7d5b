using Granary.Definitions;
using Granary.Offline;

namespace Granary.Tests.Offline;

public sealed class ViewRequestTests
{
    private static readonly FeatureView Trips = new()
    {
        Name = "trips",
        Entities = ["driver", "rider"],
        Source = "push",
        Schema = [new Field { Name = "count", Dtype = DataType.Int64 }],
    };

    private static readonly DefinitionSet Set = new()
    {
        Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }, new Entity { Name = "rider", JoinKeys = ["rider_id"], ValueType = DataType.String }],
        Sources = [new FileSource { Name = "batch", Path = "trips.parquet" }, new PushSource { Name = "push", BatchSource = "batch" }],
        FeatureViews = [Trips],
    };

    [Fact]
    public void For_PushSourcedView_ReadsTheBatchSourceWithEveryEntitysKeys()
    {
        var request = ViewRequest.For(Set, Trips, [new SelectedFeature(Trips.Schema[0], "trips__count")]);

        Assert.Equal("batch", request.Source.Name);
        Assert.Equal([new JoinKey("driver_id", DataType.Int64), new JoinKey("rider_id", DataType.String)], request.JoinKeys);
        Assert.Equal(["trips__count"], request.OutputNames);
    }

    [Fact]
    public void For_EntityNotRegistered_FailsNamingViewAndEntity()
    {
        var error = Assert.Throws<GranaryException>(() => ViewRequest.For(Set with { Entities = [Set.Entities[0]] }, Trips, []));

        Assert.Equal("feature view 'trips': entity 'rider' is not in the registry", error.Message);
    }
}
