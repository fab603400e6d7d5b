using Granary.Conformance;
using Granary.Repo;

namespace Granary.DuckDb.Tests;

/// <summary>
/// What apply checks of aggregation views against the data, through <see cref="FeatureStore"/> on a
/// real repo: granary.yaml, features.yaml and a Parquet file of events read by DuckDB.
/// </summary>
public sealed class AggregationApplyTests : IDisposable
{
    // Line 1 to 9; the aggregation view starts at line 10 (kind), its aggregations at line 16. It is not
    // served online: these tests install no online backend, and apply needs one only for what is served.
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
        kind: aggregation_view
        name: txn_stats
        entities: [user]
        source: txns
        online: false
        aggregations:

        """;

    private readonly string _repo = Directory.CreateTempSubdirectory("granary-agg-apply-").FullName;

    public AggregationApplyTests()
    {
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), "project: aggapply\n");
        Directory.CreateDirectory(Path.Combine(_repo, "data"));
        ParquetFiles.Write(
            Path.Combine(_repo, "data", "txns.parquet"),
            TestTable.Of([("user_id", "int64"), ("ts", "unix_timestamp"), ("amount", "float64"), ("merchant", "string")],
                [1L, new DateTimeOffset(2021, 4, 12, 9, 0, 0, TimeSpan.Zero), 2.5, "m"]));
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private async Task<RepoValidationException> ApplyFailsAsync(string features)
    {
        File.WriteAllText(Path.Combine(_repo, "features.yaml"), Header + features);
        await using var store = new FeatureStoreBuilder(FeatureRepo.LoadConfig(_repo)).AddDuckDb().Build();
        return await Assert.ThrowsAsync<RepoValidationException>(() => store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo)));
    }

    [Fact]
    public async Task ApplyAsync_ColumnMissingFromSource_NamesTheViewsLineAndTheColumns()
    {
        var error = await ApplyFailsAsync("  - { column: amt, function: sum, windows: [1h] }\n");

        var line = Assert.Single(error.Errors);
        Assert.Equal(
            "features.yaml:10:1: aggregation_view 'txn_stats': source 'txns' has no column 'amt' for the sum of 'amt'; its columns are user_id, ts, amount, merchant",
            line);
    }

    [Fact]
    public async Task ApplyAsync_SumOfAStringColumn_NamesTheViewsLineAndTheTypeNeeded()
    {
        var error = await ApplyFailsAsync("  - { column: amount, function: sum, windows: [1h] }\n  - { column: merchant, function: sum, windows: [1h] }\n");

        var line = Assert.Single(error.Errors);
        Assert.Equal(
            "features.yaml:10:1: aggregation_view 'txn_stats': column 'merchant' of source 'txns' is VARCHAR, but the sum of 'merchant' needs a number (int32, int64, float32 or float64)",
            line);
    }

    [Fact]
    public async Task ApplyAsync_OnDemandViewMisusingAnAggregationFeature_IsTypeCheckedOnceTypesAreKnown()
    {
        // merchant_last_1h is a string once apply has read the source: multiplying it is an error,
        // reported at the on-demand view's line (17).
        var error = await ApplyFailsAsync("""
              - { column: merchant, function: last, windows: [1h] }
            ---
            kind: on_demand_feature_view
            name: doubled
            sources: [txn_stats]
            schema:
              - { name: twice, dtype: float64, expression: "merchant_last_1h * 2" }

            """);

        var line = Assert.Single(error.Errors);
        Assert.StartsWith("features.yaml:18:1: on_demand_feature_view 'doubled': feature 'twice': ", line);
    }

    [Fact]
    public async Task ApplyAsync_ValidAggregations_RecordsTheColumnTypes()
    {
        File.WriteAllText(Path.Combine(_repo, "features.yaml"), Header + """
              - { column: amount, function: sum, windows: [1h] }
              - { column: merchant, function: last_k, k: 2, windows: [1h] }
            ---
            kind: on_demand_feature_view
            name: doubled
            sources: [txn_stats]
            schema:
              - { name: twice, dtype: float64, expression: "amount_sum_1h * 2" }

            """);
        await using var store = new FeatureStoreBuilder(FeatureRepo.LoadConfig(_repo)).AddDuckDb().Build();

        await store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo));

        var view = (await store.GetSnapshotAsync()).Definitions.FindAggregationView("txn_stats")!;
        Assert.Equal(["amount_sum_1h float64", "merchant_last_2_1h string_list"], view.Schema.Select(f => $"{f.Name} {f.Dtype}"));
    }
}
