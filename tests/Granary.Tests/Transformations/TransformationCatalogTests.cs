using Apache.Arrow;
using Granary.Definitions;
using Granary.Transformations;
using Field = Granary.Definitions.Field;

namespace Granary.Tests.Transformations;

public class TransformationCatalogTests
{
    private static readonly Dictionary<string, DataType> Inputs = new()
    {
        ["distance_km"] = DataType.Float64,
        ["minutes"] = DataType.Int64,
    };

    private static OnDemandFeatureView View(string dtype = "float64") => new()
    {
        Name = "trip_speed",
        Sources = ["trip_request"],
        Schema =
        [
            new Field { Name = "speed_kmh", Dtype = DataType.Parse(dtype) },
            new Field { Name = "long_trip", Dtype = new DataType(ScalarType.Bool), Expression = "distance_km > 10" },
        ],
    };

    private static TransformationCatalog Catalog(Func<TransformationRow, object?> function) =>
        new TransformationCatalog().Register("trip_speed", "speed_kmh", function);

    private static object? Speed(TransformationRow row) =>
        row.GetDouble("distance_km") / (row.GetInt64("minutes") / 60.0);

    [Fact]
    public void EvaluateRow_WithCSharpFunction_UsesIt()
    {
        var compiled = CompiledOnDemandView.Compile(View(), Inputs, Catalog(Speed));
        var values = compiled.InputNames.Select(n => n switch { "distance_km" => 12.0, "minutes" => (object?)15L, _ => null }).ToArray();
        var outputs = new object?[2];

        compiled.EvaluateRow(values, outputs);

        Assert.Equal(48.0, outputs[0]); // 12 km in a quarter hour
        Assert.Equal(true, outputs[1]);
    }

    [Fact]
    public void EvaluateColumns_WithCSharpFunction_MatchesRows()
    {
        var compiled = CompiledOnDemandView.Compile(View(), Inputs, Catalog(Speed));
        var distances = new object?[] { 12.0, 5.0, null };
        var minutes = new object?[] { 15L, 30L, 10L };
        var columns = compiled.InputNames.Select((n, k) => Harness.ToArrow(compiled.InputTypes[k], n switch
        {
            "distance_km" => distances,
            "minutes" => minutes,
            _ => [null, null, null],
        })).ToArray();

        var output = (DoubleArray)compiled.EvaluateColumns(3, columns)[0];

        Assert.Equal([48.0, 10.0, null], output.ToArray());
    }

    [Fact]
    public void Function_SeesRequestTimeAndEventTime()
    {
        var compiled = CompiledOnDemandView.Compile(View(), Inputs, Catalog(row => row.GetTimestamp("request_time")!.Value.Hour * 1.0));
        var at = new DateTimeOffset(2024, 3, 15, 13, 45, 0, TimeSpan.Zero);
        var values = compiled.InputNames.Select(n => n == "request_time" ? (object?)at : n == "distance_km" ? 1.0 : null).ToArray();
        var outputs = new object?[2];

        compiled.EvaluateRow(values, outputs);

        Assert.Contains("event_time", compiled.InputNames);
        Assert.Equal(13.0, outputs[0]);
    }

    [Fact]
    public void Function_ReturningWrongType_Throws()
    {
        var compiled = CompiledOnDemandView.Compile(View(), Inputs, Catalog(_ => "fast"));
        var values = new object?[compiled.InputNames.Count];

        var error = Assert.Throws<TransformationException>(() => compiled.EvaluateRow(values, new object?[2]));

        Assert.Equal("the C# function for feature 'speed_kmh' returned a String, but the feature is declared float64", error.Message);
    }

    [Fact]
    public void Function_ReadingUnknownInput_Throws()
    {
        var compiled = CompiledOnDemandView.Compile(View(), Inputs, Catalog(row => row["nope"]));
        var values = new object?[compiled.InputNames.Count];

        var error = Assert.Throws<TransformationException>(() => compiled.EvaluateRow(values, new object?[2]));

        Assert.StartsWith("the transformation has no input 'nope'; inputs: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_FeatureWithoutExpressionOrFunction_Throws()
    {
        var error = Assert.Throws<TransformationException>(() => CompiledOnDemandView.Compile(View(), Inputs));

        Assert.Equal("on_demand_feature_view 'trip_speed': feature 'speed_kmh' has no expression and no C# function is registered for it", error.Message);
    }

    [Fact]
    public void Compile_FeatureWithBothExpressionAndFunction_Throws()
    {
        var catalog = new TransformationCatalog().Register("trip_speed", "long_trip", _ => true).Register("trip_speed", "speed_kmh", Speed);

        var error = Assert.Throws<TransformationException>(() => CompiledOnDemandView.Compile(View(), Inputs, catalog));

        Assert.Equal("on_demand_feature_view 'trip_speed': feature 'long_trip' has both an expression and a C# function; keep one", error.Message);
    }

    [Fact]
    public void Register_SameFeatureTwice_Throws()
    {
        var catalog = Catalog(Speed);

        Assert.Throws<ArgumentException>(() => catalog.Register("trip_speed", "speed_kmh", Speed));
    }

    [Fact]
    public void Validate_FeatureWithoutExpression_IsSkipped()
    {
        var view = View();
        var set = new DefinitionSet
        {
            RequestSources = [new RequestSource { Name = "trip_request", Schema = [new Field { Name = "distance_km", Dtype = DataType.Float64 }] }],
            OnDemandFeatureViews = [view],
        };

        Assert.Empty(OnDemandTransformation.Validate(view, set));
    }
}
