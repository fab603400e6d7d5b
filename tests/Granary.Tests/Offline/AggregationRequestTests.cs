using Granary.Definitions;
using Granary.Offline;

namespace Granary.Tests.Offline;

/// <summary>Resolving an aggregation view's part of a training-data request, and the checks on it.</summary>
public sealed class AggregationRequestTests
{
    private static readonly AggregationView Txn = new()
    {
        Name = "txn",
        Entities = ["user"],
        Source = "push",
        Hop = TimeSpan.FromHours(1),
        Aggregations =
        [
            new Aggregation { Function = AggregationFunction.Sum, Column = "amount", Windows = ["1h", "1d"], ColumnType = new DataType(ScalarType.Int32) },
            new Aggregation { Function = AggregationFunction.Count, Windows = ["1d"] },
        ],
    };

    private static readonly FeatureView Latest = new()
    {
        Name = "latest",
        Entities = ["user"],
        Source = "batch",
        Schema = [new Field { Name = "amount", Dtype = DataType.Int64 }],
    };

    private static readonly DefinitionSet Set = new()
    {
        Entities = [new Entity { Name = "user", JoinKeys = ["user_id"] }, new Entity { Name = "shop", JoinKeys = ["shop_id"] }],
        Sources = [new FileSource { Name = "batch", Path = "txns.parquet" }, new PushSource { Name = "push", BatchSource = "batch" }],
        FeatureViews = [Latest],
        AggregationViews = [Txn],
    };

    private static AggregationRequest Request(params string[] features) =>
        AggregationRequest.For(Set, Txn, features.Select(f => new SelectedFeature(Txn.FindFeature(f)!.Field, $"txn__{f}")).ToArray());

    [Fact]
    public void For_PushSourcedView_ReadsTheBatchSourceWithTheFeaturesWindowsAndHops()
    {
        var request = Request("amount_sum_1d", "count_1d");

        Assert.Equal("batch", request.Source.Name);
        Assert.Equal([new JoinKey("user_id", DataType.Int64)], request.JoinKeys);
        Assert.Equal(["txn__amount_sum_1d", "txn__count_1d"], request.OutputNames);
        Assert.Equal((TimeSpan.FromDays(1), TimeSpan.FromHours(1), DataType.Int64), (request.Features[0].Feature.Window, request.Features[0].Feature.Hop, request.Features[0].Feature.Field.Dtype));
    }

    [Fact]
    public void For_UnknownFeature_FailsNamingViewAndFeature()
    {
        var error = Assert.Throws<GranaryException>(() =>
            AggregationRequest.For(Set, Txn, [new SelectedFeature(new Field { Name = "amount_sum_7d", Dtype = DataType.Int64 }, "x")]));

        Assert.Equal("aggregation view 'txn' has no feature 'amount_sum_7d'", error.Message);
    }

    [Fact]
    public void FeatureColumns_NoOrder_ViewsThenAggregations()
    {
        var latest = ViewRequest.For(Set, Latest, [new SelectedFeature(Latest.Schema[0], "amount")]);
        var request = new HistoricalRequest(EntityInput.FromFile("e.csv"), [latest]) { Aggregations = [Request("count_1d", "amount_sum_1h")] };

        Assert.Equal(["amount", "txn__count_1d", "txn__amount_sum_1h"], request.FeatureColumns());
        Assert.Equal(["batch"], request.Sources.Select(s => s.Name));
    }

    [Fact]
    public void FeatureColumns_OrderThatDropsOrRepeatsAColumn_IsRejected()
    {
        var request = new HistoricalRequest(EntityInput.FromFile("e.csv"), []) { Aggregations = [Request("count_1d", "amount_sum_1h")] };

        Assert.Equal(["txn__amount_sum_1h", "txn__count_1d"], (request with { FeatureOrder = ["txn__amount_sum_1h", "txn__count_1d"] }).FeatureColumns());
        Assert.Throws<ArgumentException>(() => (request with { FeatureOrder = ["txn__count_1d"] }).FeatureColumns());
        Assert.Throws<ArgumentException>(() => (request with { FeatureOrder = ["txn__count_1d", "txn__count_1d"] }).FeatureColumns());
    }

    [Fact]
    public void Validate_EntityRowsWithoutTheKeyOfAnAggregationView_NamesTheView()
    {
        var request = new HistoricalRequest(EntityInput.FromFile("e.csv"), []) { Aggregations = [Request("count_1d")] };
        var columns = new[] { new SourceColumn("event_timestamp", new DataType(ScalarType.UnixTimestamp), true, "TIMESTAMP") };

        var error = Assert.Throws<GranaryException>(() => EntityRowsValidator.Validate(request, columns));

        Assert.Equal("entity rows have no column 'user_id', a join key of aggregation view 'txn'; their columns are event_timestamp", error.Message);
    }

    [Fact]
    public void CommonJoinKeys_AggregationViewKeyedOtherwise_IsRejectedForAllEntities()
    {
        var byShop = Txn with { Name = "by_shop", Entities = ["shop"] };
        var latest = ViewRequest.For(Set, Latest, [new SelectedFeature(Latest.Schema[0], "amount")]);
        var request = new HistoricalRequest(EntityInput.AllAsOf(DateTimeOffset.UnixEpoch), [latest])
        {
            Aggregations = [AggregationRequest.For(Set with { AggregationViews = [byShop] }, byShop, [])],
        };

        var error = Assert.Throws<GranaryException>(() => EntityRowsValidator.CommonJoinKeys(request));

        Assert.Equal("--all-entities needs views with the same join keys, but 'latest' has (user_id) and 'by_shop' has (shop_id)", error.Message);
    }
}
