using Granary.Definitions;
using Granary.Transformations;

namespace Granary.Tests.Transformations;

/// <summary>On-demand views that read aggregation features: their inputs, plans and checks.</summary>
public sealed class AggregationInputTests
{
    private static readonly AggregationView Txn = new()
    {
        Name = "txn",
        Entities = ["user"],
        Source = "s",
        Hop = TimeSpan.Zero,
        Aggregations =
        [
            new Aggregation { Function = AggregationFunction.Sum, Column = "amount", Windows = ["1h"], ColumnType = DataType.Float64 },
            new Aggregation { Function = AggregationFunction.Count, Windows = ["1h"] },
        ],
    };

    private static readonly OnDemandFeatureView Average = new()
    {
        Name = "average",
        Sources = ["txn"],
        Schema = [new Field { Name = "mean", Dtype = DataType.Float64, Expression = "txn.amount_sum_1h / count_1h" }],
    };

    private static readonly DefinitionSet Set = new()
    {
        Entities = [new Entity { Name = "user" }],
        Sources = [new FileSource { Name = "s", Path = "s.parquet" }],
        AggregationViews = [Txn],
        OnDemandFeatureViews = [Average],
    };

    [Fact]
    public void InputsOf_AggregationSource_ListsItsFeaturesWithTheirTypes()
    {
        var inputs = OnDemandTransformation.InputsOf(Average, Set);

        Assert.Equal(DataType.Float64, inputs["txn.amount_sum_1h"]);
        Assert.Equal(DataType.Int64, inputs["count_1h"]);
    }

    [Fact]
    public void Plan_AggregationInputs_BoundAsAggregationFeaturesOfTheirView()
    {
        var selection = FeatureSelection.FromReferences(Set, ["average:mean"], fullFeatureNames: false);

        var plan = OnDemandPlan.For(Set, selection, view => CompiledOnDemandView.Compile(view, Set));

        Assert.Empty(plan.Features);
        Assert.Equal(["amount_sum_1h", "count_1h"], plan.AggregationFeatures["txn"].Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(plan.Steps.Single().Inputs, b => Assert.Equal((OnDemandInputKind.AggregationFeature, "txn"), (b.Kind, b.Source)));
    }

    [Fact]
    public void Validate_AggregationTypesNotKnownYet_WaitsForApplyToReadThem()
    {
        var unapplied = Set with { AggregationViews = [Txn with { Aggregations = [Txn.Aggregations[0] with { ColumnType = null }, Txn.Aggregations[1]] }] };
        var misuse = Average with { Schema = [new Field { Name = "mean", Dtype = DataType.Float64, Expression = "amount_sum_1h and true" }] };

        Assert.False(OnDemandTransformation.IsReady(misuse, unapplied));
        Assert.Empty(OnDemandTransformation.Validate(misuse, unapplied));
        Assert.Single(OnDemandTransformation.Validate(misuse, Set with { OnDemandFeatureViews = [misuse] }));
    }
}
