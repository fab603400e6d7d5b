using Granary.Definitions;

namespace Granary.Tests.Definitions;

public sealed class FeatureSelectionTests
{
    private static readonly DefinitionSet Set = new()
    {
        Entities = [new Entity { Name = "driver" }],
        Sources = [new FileSource { Name = "s", Path = "s.parquet" }],
        FeatureViews =
        [
            View("driver_stats", "conv_rate", "acc_rate", "trips"),
            View("driver_daily", "conv_rate", "rating"),
        ],
        FeatureServices =
        [
            new FeatureService
            {
                Name = "ranking",
                Features = [new FeatureProjection("driver_daily", ["rating"]), new FeatureProjection("driver_stats")],
            },
        ],
    };

    private static FeatureView View(string name, params string[] features) => new()
    {
        Name = name,
        Entities = ["driver"],
        Source = "s",
        Schema = features.Select(f => new Field { Name = f, Dtype = DataType.Float64 }).ToArray(),
    };

    [Fact]
    public void FromReferences_GroupsByViewInFirstMentionOrder()
    {
        var selection = FeatureSelection.FromReferences(Set, ["driver_stats:trips", "driver_daily:rating", "driver_stats:conv_rate"], false);

        Assert.Equal(["driver_stats", "driver_daily"], selection.Views.Select(v => v.View.Name));
        Assert.Equal(["trips", "conv_rate", "rating"], selection.OutputNames);
    }

    [Fact]
    public void FromReferences_SameNameFromTwoViews_FailsNamingBoth()
    {
        var error = Assert.Throws<GranaryException>(() =>
            FeatureSelection.FromReferences(Set, ["driver_stats:conv_rate", "driver_daily:conv_rate"], false));

        Assert.Contains("'conv_rate'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'driver_stats' and 'driver_daily'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromReferences_FullNames_PrefixesViews()
    {
        var selection = FeatureSelection.FromReferences(Set, ["driver_stats:conv_rate", "driver_daily:conv_rate"], true);

        Assert.Equal(["driver_stats__conv_rate", "driver_daily__conv_rate"], selection.OutputNames);
    }

    [Theory]
    [InlineData("conv_rate", "view:feature")]
    [InlineData("nope:conv_rate", "unknown feature view 'nope'")]
    [InlineData("driver_stats:nope", "has no feature 'nope'")]
    public void FromReferences_BadReference_FailsClearly(string reference, string expected)
    {
        var error = Assert.ThrowsAny<GranaryException>(() => FeatureSelection.FromReferences(Set, [reference], false));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromService_SubsetAndWholeView_InServiceOrder()
    {
        var selection = FeatureSelection.FromService(Set, "ranking", false);

        Assert.Equal(["rating", "conv_rate", "acc_rate", "trips"], selection.OutputNames);
    }

    [Fact]
    public void From_ReferencesAndService_FailsAskingForOne()
    {
        var error = Assert.Throws<GranaryException>(() => FeatureSelection.From(Set, ["driver_stats:trips"], "ranking", false));

        Assert.Equal("give either feature references or a feature service, not both", error.Message);
    }

    [Fact]
    public void From_ServiceWithEmptyReferences_ResolvesTheService()
    {
        var selection = FeatureSelection.From(Set, [], "ranking", false);

        Assert.Equal(["rating", "conv_rate", "acc_rate", "trips"], selection.OutputNames);
    }

    [Fact]
    public void From_NeitherReferencesNorService_FailsAskingForFeatures()
    {
        var error = Assert.Throws<GranaryException>(() => FeatureSelection.From(Set, null, null, false));

        Assert.StartsWith("no features requested", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromService_Unknown_ThrowsNotFound() =>
        Assert.Throws<FeatureServiceNotFoundException>(() => FeatureSelection.FromService(Set, "missing", false));
}
