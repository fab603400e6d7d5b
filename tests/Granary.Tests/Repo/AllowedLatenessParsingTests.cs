using Granary.Definitions;
using Granary.Repo;

namespace Granary.Tests.Repo;

/// <summary>The <c>allowed_lateness</c> key of an aggregation view.</summary>
public sealed class AllowedLatenessParsingTests : IDisposable
{
    private const string Header = """
        kind: entity
        name: user
        join_keys: [user_id]
        ---
        kind: file_source
        name: txns
        path: data/txns.parquet
        ---
        kind: aggregation_view
        name: v
        entities: [user]
        source: txns
        aggregations:
          - { function: count, windows: [1h] }

        """;

    private readonly TempRepo _repo = new("lateness");

    public void Dispose() => _repo.Dispose();

    private DefinitionSet Load(string extra) => FeatureRepo.LoadDefinitions(_repo.Write("features.yaml", Header + extra).Path);

    [Fact]
    public void Load_AllowedLatenessGiven_ReadsTheDuration()
    {
        var view = Assert.Single(Load("allowed_lateness: 2h30m\n").AggregationViews);

        Assert.Equal(TimeSpan.FromMinutes(150), view.AllowedLateness);
    }

    [Fact]
    public void Load_AllowedLatenessOmitted_IsNullMeaningOneHour()
    {
        var view = Assert.Single(Load(string.Empty).AggregationViews);

        Assert.Null(view.AllowedLateness);
        Assert.Equal(TimeSpan.FromHours(1), AggregationView.DefaultAllowedLateness);
    }

    [Fact]
    public void Load_AllowedLatenessNotADuration_NamesFileLineAndKey()
    {
        var error = Assert.Throws<RepoValidationException>(() => Load("allowed_lateness: soon\n"));

        Assert.Equal("features.yaml:15:19: aggregation_view 'v': allowed_lateness 'soon' is not a duration; expected 0 or a duration such as 30m or 2h", Assert.Single(error.Errors));
    }
}
