using Granary.Definitions;
using Granary.Repo;

namespace Granary.Tests.Repo;

/// <summary>aggregation_view in YAML: what it reads into, and every mistake apply rejects before the data is read, with file and line.</summary>
public sealed class AggregationViewParsingTests : IDisposable
{
    private const string Header = """
        kind: entity
        name: user
        join_keys: [user_id]
        ---
        kind: file_source
        name: txns
        path: data/txns.parquet
        timestamp_field: ts
        ---

        """;

    private readonly TempRepo _repo = new("agg");

    public void Dispose() => _repo.Dispose();

    private DefinitionSet Load(string view) => FeatureRepo.LoadDefinitions(_repo.Write("features.yaml", Header + view).Path);

    [Fact]
    public void Load_TheIssuesExample_ReadsEveryAggregationAndNamesTheFeatures()
    {
        var set = Load("""
            kind: aggregation_view
            name: txn_stats
            entities: [user]
            source: txns
            hop: 1h
            aggregations:
              - { column: amount, function: sum, windows: [1h, 1d, 7d] }
              - { function: count, windows: [1h, 1d] }
              - { column: amount, function: count, windows: [1d] }
              - { column: amount, function: avg, windows: [1d] }
              - { column: qty, function: max, windows: [1d] }
              - { column: merchant, function: last, windows: [7d] }
              - { column: merchant, function: last_k, k: 3, windows: [1d] }
              - { column: amount, function: max, windows: [1d], name: biggest_amount_1d }
            """);

        var view = Assert.Single(set.AggregationViews);
        Assert.Equal((TimeSpan.FromHours(1), true, "txns"), (view.Hop!.Value, view.Online, view.Source));
        Assert.Equal(8, view.Aggregations.Count);
        Assert.Equal(
            ["amount_sum_1h", "amount_sum_1d", "amount_sum_7d", "count_1h", "count_1d", "amount_count_1d", "amount_avg_1d", "qty_max_1d", "merchant_last_7d", "merchant_last_3_1d", "biggest_amount_1d"],
            view.Aggregations.SelectMany(a => a.Windows.Select(w => AggregationView.FeatureName(a, w))));
        Assert.Equal((AggregationFunction.LastK, 3), (view.Aggregations[6].Function, view.Aggregations[6].K!.Value));
        Assert.Null(view.Aggregations[1].Column);
    }

    [Theory]
    [InlineData("  - { column: amount, function: median, windows: [1h] }", "features.yaml:15:33: aggregation_view 'v' aggregation: unknown function 'median'; expected one of: count, sum, avg, min, max, first, last, last_k, stddev, count_distinct")]
    [InlineData("  - { column: merchant, function: last_k, windows: [1h] }", "features.yaml:15:35: aggregation_view 'v' aggregation: last_k needs 'k', the number of values to keep (1 to 100)")]
    [InlineData("  - { column: merchant, function: last_k, k: 101, windows: [1h] }", "features.yaml:15:46: aggregation_view 'v' aggregation: k must be a whole number from 1 to 100, not '101'")]
    [InlineData("  - { column: merchant, function: last, k: 2, windows: [1h] }", "features.yaml:15:44: aggregation_view 'v' aggregation: 'k' is for last_k only, not last")]
    [InlineData("  - { function: sum, windows: [1h] }", "features.yaml:15:17: aggregation_view 'v' aggregation: sum needs a 'column' of the source")]
    [InlineData("  - { column: amount, function: max, windows: [1h, 1d], name: top }", "features.yaml:15:63: aggregation_view 'v' aggregation: 'name' gives one feature its name, so it needs exactly one window, not 2")]
    [InlineData("  - { column: amount, function: sum, windows: [soon] }", "features.yaml:15:47: aggregation_view 'v' aggregation: window 'soon' is not a positive duration such as 30m, 1h, 7d or 3600s")]
    [InlineData("  - { column: amount, function: sum, windows: [90s] }", "features.yaml:15:47: aggregation_view 'v' aggregation: window '90s' is not a multiple of its automatic hop 5m; give 'hop' (0 for exact windows) or a window that is")]
    [InlineData("  - { column: amount, function: sum, windows: [1h], weight: 2 }", "features.yaml:15:53: aggregation_view 'v' aggregation: unknown key 'weight'; expected one of: column, function, k, name, windows")]
    public void Load_BadAggregation_NamesFileLineAndTheProblem(string aggregation, string expected)
    {
        var error = Assert.Throws<RepoValidationException>(() => Load($"""
            kind: aggregation_view
            name: v
            entities: [user]
            source: txns
            aggregations:
            {aggregation}
            """));

        Assert.Contains(expected, error.Errors);
    }

    [Fact]
    public void Load_WindowNotAMultipleOfTheGivenHop_NamesTheHop()
    {
        var error = Assert.Throws<RepoValidationException>(() => Load("""
            kind: aggregation_view
            name: v
            entities: [user]
            source: txns
            hop: 1h
            aggregations:
              - { column: amount, function: sum, windows: [90m] }
            """));

        Assert.Equal("features.yaml:16:47: aggregation_view 'v' aggregation: window '90m' is not a multiple of the hop 1h", Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_DuplicateFeatureNamesAndDanglingReferences_ReportEach()
    {
        var error = Assert.Throws<RepoValidationException>(() => Load("""
            kind: aggregation_view
            name: v
            entities: [user, shop]
            source: orders
            aggregations:
              - { column: amount, function: sum, windows: [1h] }
              - { column: x, function: max, windows: [1d], name: amount_sum_1h }
              - { column: user_id, function: count, windows: [1d] }
            """));

        Assert.Equal(
            [
                "features.yaml:10:1: aggregation_view 'v': entity 'shop' is not declared",
                "features.yaml:10:1: aggregation_view 'v': source 'orders' is not declared",
                "features.yaml:10:1: aggregation_view 'v': feature 'amount_sum_1h' is declared twice; give one of them a 'name'",
                "features.yaml:10:1: aggregation_view 'v': column 'user_id' is a join key; aggregate a value column",
            ],
            error.Errors);
    }

    [Fact]
    public void Load_ViewsOfDifferentKindsWithOneName_AreRefusedAsAmbiguous()
    {
        var error = Assert.Throws<RepoValidationException>(() => Load("""
            kind: aggregation_view
            name: stats
            entities: [user]
            source: txns
            aggregations:
              - { function: count, windows: [1h] }
            ---
            kind: feature_view
            name: stats
            entities: [user]
            source: txns
            schema:
              - { name: amount, dtype: float64 }
            """));

        Assert.Equal("features.yaml:17:1: feature_view 'stats': duplicate name; first declared at features.yaml:10:1", Assert.Single(error.Errors));
    }
}
