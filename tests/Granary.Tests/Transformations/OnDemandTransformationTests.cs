using Granary.Definitions;
using Granary.Repo;
using Granary.Transformations;

namespace Granary.Tests.Transformations;

public class OnDemandTransformationTests
{
    private static DefinitionSet Set(params Field[] outputs)
    {
        var view = new OnDemandFeatureView
        {
            Name = "driver_adjusted",
            Sources = ["driver_hourly_stats", "trip_request"],
            Schema = outputs,
            Constants = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["fx_to_usd"] = new Dictionary<string, string> { ["USD"] = "1.0", ["SEK"] = "0.094" },
            },
        };
        return new DefinitionSet
        {
            Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }],
            Sources = [new FileSource { Name = "stats_file", Path = "stats.parquet", TimestampField = "event_timestamp" }],
            FeatureViews =
            [
                new FeatureView
                {
                    Name = "driver_hourly_stats",
                    Entities = ["driver"],
                    Source = "stats_file",
                    Schema = [new Field { Name = "conv_rate", Dtype = DataType.Float64 }, new Field { Name = "trips", Dtype = DataType.Int64 }],
                },
            ],
            RequestSources =
            [
                new RequestSource
                {
                    Name = "trip_request",
                    Schema =
                    [
                        new Field { Name = "val_to_add", Dtype = DataType.Float64 },
                        new Field { Name = "price", Dtype = DataType.Float64 },
                        new Field { Name = "currency", Dtype = DataType.String },
                    ],
                },
            ],
            OnDemandFeatureViews = [view],
            Locations = new Dictionary<(string Kind, string Name), SourceLocation>
            {
                [(OnDemandFeatureView.KindName, "driver_adjusted")] = new("features.yaml", 12, 1),
            },
        };
    }

    private static Field Output(string name, string dtype, string expression) =>
        new() { Name = name, Dtype = DataType.Parse(dtype), Expression = expression };

    [Fact]
    public void InputsOf_ListsFeaturesAndRequestFields_BareAndQualified()
    {
        var set = Set(Output("x", "float64", "1"));

        var inputs = OnDemandTransformation.InputsOf(set.OnDemandFeatureViews[0], set);

        Assert.Equal(DataType.Float64, inputs["conv_rate"]);
        Assert.Equal(DataType.Int64, inputs["driver_hourly_stats.trips"]);
        Assert.Equal(DataType.String, inputs["currency"]);
        Assert.Equal(10, inputs.Count);
    }

    [Fact]
    public void Validate_GoodExpressions_GivesNoErrors()
    {
        var set = Set(
            Output("conv_rate_plus_val", "float64", "conv_rate + val_to_add"),
            Output("price_usd", "float64", "price * lookup(fx_to_usd, currency)"));

        Assert.Empty(OnDemandTransformation.Validate(set.OnDemandFeatureViews[0], set));
    }

    [Fact]
    public void Validate_BadExpressions_GivesOneLinePerFeatureWithFileLineAndColumn()
    {
        var set = Set(
            Output("ok", "float64", "conv_rate + val_to_add"),
            Output("typo", "float64", "conv_rat + 1"),
            Output("narrowing", "int64", "trips * 1.5"));

        var errors = OnDemandTransformation.Validate(set.OnDemandFeatureViews[0], set);

        Assert.Equal(
            [
                "features.yaml:12:1: on_demand_feature_view 'driver_adjusted': feature 'typo': unknown name 'conv_rat' at expression column 1",
                "features.yaml:12:1: on_demand_feature_view 'driver_adjusted': feature 'narrowing': the expression gives float64 but the feature is declared int64; convert explicitly with int64(...) at expression column 1",
            ],
            errors);
    }

    [Fact]
    public void DefinitionValidator_ReportsExpressionErrors()
    {
        var set = Set(Output("bad", "float64", "sqrt(conv_rate, 2)"));

        var errors = DefinitionValidator.Validate(set);

        Assert.Equal(
            ["features.yaml:12:1: on_demand_feature_view 'driver_adjusted': feature 'bad': function 'sqrt' takes 1 argument, got 2 at expression column 1"],
            errors);
    }

    [Fact]
    public void LoadDefinitions_YamlWithBadExpression_ReportsFileAndLine()
    {
        var repo = Directory.CreateTempSubdirectory("granary-transform-");
        try
        {
            File.WriteAllText(Path.Combine(repo.FullName, "granary.yaml"), "project: transform_test\n");
            File.WriteAllText(Path.Combine(repo.FullName, "features.yaml"), """
                kind: request_source
                name: trip_request
                schema:
                  - { name: val_to_add, dtype: float64 }
                ---
                kind: on_demand_feature_view
                name: adjusted
                sources: [trip_request]
                schema:
                  - { name: doubled, dtype: float64, expression: "val_to_add * 2" }
                  - { name: broken, dtype: float64, expression: "val_to_add + 'x'" }

                """);

            var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadDefinitions(repo.FullName));

            Assert.Equal(
                ["features.yaml:6:1: on_demand_feature_view 'adjusted': feature 'broken': operator '+' needs numbers, got float64 and string; join strings with concat(a, b) at expression column 12"],
                error.Errors);
        }
        finally
        {
            repo.Delete(recursive: true);
        }
    }
}
