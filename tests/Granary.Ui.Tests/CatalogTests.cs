using Granary.Definitions;
using Granary.Repo;
using Granary.Ui.Catalog;

namespace Granary.Ui.Tests;

/// <summary>The UI's read model on the every-kind definitions, without a server.</summary>
public sealed class CatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("granary-ui-catalog-").FullName;
    private readonly DefinitionSet _set;

    public CatalogTests()
    {
        File.WriteAllText(Path.Combine(_folder, "features.yaml"), UiRepo.EveryKindDefinitions);
        _set = FeatureRepo.LoadDefinitions(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Lineage_EveryKind_LinksSourcesViewsOnDemandViewsAndServices()
    {
        var graph = LineageGraph.Build(_set);
        string Names(IEnumerable<LineageNode> nodes) => string.Join(",", nodes.Select(n => n.Name).Order(StringComparer.Ordinal));
        var band = graph.Nodes.Single(n => n.Name == "driver_band");
        var push = graph.Nodes.Single(n => n.Name == "trips_push");

        // driver_band <- driver_score <- (driver_hourly_stats <- driver_stats, ride_request).
        Assert.Equal("driver_hourly_stats,driver_score,driver_stats,ride_request", Names(graph.Upstream(band)));
        Assert.Equal("driver_ranking", Names(graph.Downstream(band)));

        // trips -> trips_push -> rider_trips, rider_fares -> rider_activity.
        Assert.Equal("trips", Names(graph.Upstream(push)));
        Assert.Equal("rider_activity,rider_fares,rider_trips", Names(graph.Downstream(push)));
    }

    [Fact]
    public void Layout_OnDemandViewReadingAnother_SitsInTheNextColumnBeforeServices()
    {
        var layout = LineageLayout.Compute(LineageGraph.Build(_set));
        double X(string name) => layout.Nodes.Single(n => n.Node.Name == name).X;

        Assert.Equal(["Data sources", "Push & request sources", "Views", "On-demand views", "On-demand views", "Feature services"], layout.Columns.Select(c => c.Title));
        Assert.True(X("driver_stats") < X("trips_push"));
        Assert.True(X("trips_push") < X("rider_fares"));
        Assert.True(X("driver_score") < X("driver_band"));
        Assert.True(X("driver_band") < X("driver_ranking"));
        Assert.Equal(X("driver_ranking"), X("rider_activity"));
    }

    [Fact]
    public void Around_View_KeepsOnlyItsPaths()
    {
        var graph = LineageGraph.Build(_set);
        var around = graph.Around(graph.Nodes.Single(n => n.Name == "rider_trips"));

        Assert.Equal(["trips", "trips_push", "rider_trips", "rider_activity"], around.Nodes.Select(n => n.Name));

        // rider_fares also feeds rider_activity, but it is neither upstream nor downstream of rider_trips.
        Assert.Equal(3, around.Edges.Count);
    }

    [Fact]
    public void TryItInputs_ServiceThroughOnDemandViews_AreTheJoinKeyThenTheRequestField()
    {
        var inputs = TryIt.InputsOf(_set, _set.FindFeatureService("driver_ranking")!);

        Assert.Equal(
            [new TryInput("driver_id", DataType.Int64, "entity driver"), new TryInput("distance_km", DataType.Float64, "request source ride_request")],
            inputs);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(3600, "1h")]
    [InlineData(3661, "1h 1m")]
    [InlineData(90061, "1d 1h")]
    [InlineData(-7200, "2h in the future")]
    public void Span_Seconds_LargestTwoUnits(int seconds, string expected) =>
        Assert.Equal(expected, UiFormat.Span(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void SourceFacts_FileAndPushSources_NameTheirOwnKeys()
    {
        Assert.Equal([("path", "data/trips.parquet")], SourceFacts.Of(_set.FindSource("trips")!));
        Assert.Equal([("batch_source", "trips")], SourceFacts.Of(_set.FindSource("trips_push")!));
    }
}
