using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Field = Granary.Definitions.Field;

namespace Granary.Conformance;

/// <summary>
/// Aggregation views through <see cref="FeatureStore"/>, as the SDK and the CLI ask for them: mixed
/// with feature views and on-demand views, by feature service, with full names, for all entities.
/// </summary>
public abstract partial class OfflineAggregationTests
{
    /// <summary>
    /// A store over a fresh store under test and a file registry with: events of users 1 (1 at 09:00,
    /// 2 at 09:30, 4 at 10:00) and 3 (8 at 09:50); feature view <c>latest</c> (the amount of the latest
    /// row); aggregation view <c>txn</c> (amount_sum_1h, count_1h, amount_max_1h, exact windows);
    /// on-demand views <c>ratios</c> (share = amount / amount_sum_1h, reading both) and <c>counts</c>
    /// (tens = count_1h * 10, reading txn only); feature service <c>svc</c> (latest:amount, all of txn).
    /// </summary>
    private async Task<FeatureStore> TxnStoreAsync()
    {
        var source = await CreateSourceAsync(
            $"txn{++_sources}_source", TestTable.Of(AmountColumns, [1L, At(9), 1L], [1L, At(9, 30), 2L], [1L, At(10), 4L], [3L, At(9, 50), 8L]),
            "event_timestamp", null, null);
        var set = new DefinitionSet
        {
            Entities = [User],
            Sources = [source],
            FeatureViews = [new FeatureView { Name = "latest", Entities = ["user"], Source = source.Name, Online = false, Schema = [new Field { Name = "amount", Dtype = DataType.Int64 }] }],
            AggregationViews =
            [
                new AggregationView
                {
                    Name = "txn",
                    Entities = ["user"],
                    Source = source.Name,
                    Hop = TimeSpan.Zero,
                    Online = false,
                    Aggregations = [Agg(AggregationFunction.Sum, "amount", "1h"), Agg(AggregationFunction.Count, null, "1h"), Agg(AggregationFunction.Max, "amount", "1h")],
                },
            ],
            OnDemandFeatureViews =
            [
                new OnDemandFeatureView { Name = "ratios", Sources = ["txn", "latest"], Schema = [new Field { Name = "share", Dtype = DataType.Float64, Expression = "amount / amount_sum_1h" }] },
                new OnDemandFeatureView { Name = "counts", Sources = ["txn"], Schema = [new Field { Name = "tens", Dtype = DataType.Int64, Expression = "count_1h * 10" }] },
            ],
            FeatureServices = [new FeatureService { Name = "svc", Features = [new FeatureProjection("latest", ["amount"]), new FeatureProjection("txn")] }],
        };
        var config = new RepoConfig { RepoPath = Folder, Project = $"agg{_sources}" };
        var registry = new FileRegistry(Path.Combine(Folder, $"registry-{_sources}.json"), sourceKinds: SourceKinds);
        var online = new Lazy<OnlineStore>(() => throw new InvalidOperationException("training data needs no online store"));
        var store = new FeatureStore(config, registry, await CreateStoreAsync(), online, sourceKinds: SourceKinds);
        await store.ApplyAsync(set);
        return store;
    }

    private static async Task<List<Dictionary<string, object?>>> RetrieveAsync(FeatureStore store, HistoricalFeaturesRequest request)
    {
        await using var result = await store.GetHistoricalFeaturesAsync(request);
        var rows = await ResultRows.ReadAllAsync(result);
        Assert.All(rows, r => Assert.Equal(result.ColumnNames, r.Keys));
        return rows;
    }

    [Fact]
    public async Task GetHistoricalFeatures_FeatureViewAggregationAndOnDemandMixed_InSelectionOrderWithFullNames()
    {
        await using var store = await TxnStoreAsync();

        var rows = await RetrieveAsync(store, new HistoricalFeaturesRequest
        {
            Entities = await UserRowsAsync((1, At(10)), (1, At(9, 45)), (2, At(10))),
            Features = ["txn:count_1h", "ratios:share", "latest:amount", "txn:amount_sum_1h"],
            FullFeatureNames = true,
        });

        // Views in order of first mention, each with its features (as for feature views alone).
        Assert.Equal(["user_id", "event_timestamp", "txn__count_1h", "txn__amount_sum_1h", "ratios__share", "latest__amount"], rows[0].Keys);

        // (1, 10:00): window [09:00, 10:00) holds 1 and 2; the latest row is 10:00's (4); share 4 / 3.
        // (1, 09:45): [08:45, 09:45) holds 1 and 2; latest 2; share 2 / 3. User 2 has no events.
        Assert.Equal([2L, 2L, 0L], rows.Select(r => r["txn__count_1h"]));
        Assert.Equal([4L, 2L, null], rows.Select(r => r["latest__amount"]));
        Assert.Equal([3L, 3L, null], rows.Select(r => r["txn__amount_sum_1h"]));
        Assert.Equal([4.0 / 3, 2.0 / 3, null], rows.Select(r => r["ratios__share"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_OnDemandViewReadingOnlyAnAggregationView_ComputesFromHiddenColumns()
    {
        await using var store = await TxnStoreAsync();

        var rows = await RetrieveAsync(store, new HistoricalFeaturesRequest
        {
            Entities = await UserRowsAsync((1, At(10)), (1, At(10, 30)), (2, At(10))),
            Features = ["counts:tens"],
        });

        // count_1h: 2 at 10:00; [09:30, 10:30) holds 2 and 4 at 10:30; 0 for user 2.
        Assert.Equal(["user_id", "event_timestamp", "tens"], rows[0].Keys);
        Assert.Equal([20L, 20L, 0L], rows.Select(r => r["tens"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_FeatureService_GivesItsAggregationFeatures()
    {
        await using var store = await TxnStoreAsync();

        var rows = await RetrieveAsync(store, new HistoricalFeaturesRequest
        {
            Entities = await UserRowsAsync((1, At(10)), (3, At(10))),
            FeatureService = "svc",
        });

        // User 3: 8 at 09:50, which is also its latest row.
        Assert.Equal(["user_id", "event_timestamp", "amount", "amount_sum_1h", "count_1h", "amount_max_1h"], rows[0].Keys);
        Assert.Equal([4L, 8L], rows.Select(r => r["amount"]));
        Assert.Equal([3L, 8L], rows.Select(r => r["amount_sum_1h"]));
        Assert.Equal([2L, 1L], rows.Select(r => r["count_1h"]));
        Assert.Equal([2L, 8L], rows.Select(r => r["amount_max_1h"]));
    }

    [Fact]
    public async Task GetHistoricalFeatures_AllEntitiesAsOf_TakesTheKeysFromTheAggregationSource()
    {
        await using var store = await TxnStoreAsync();

        var rows = await RetrieveAsync(store, new HistoricalFeaturesRequest
        {
            Entities = EntityInput.AllAsOf(At(10)),
            Features = ["txn:amount_sum_1h", "txn:count_1h"],
        });

        // The source's keys are 1 and 3, in key order, each at 10:00.
        Assert.Equal(["user_id", "event_timestamp", "amount_sum_1h", "count_1h"], rows[0].Keys);
        Assert.Equal([1L, 3L], rows.Select(r => r["user_id"]));
        Assert.Equal([At(10), At(10)], rows.Select(r => r["event_timestamp"]));
        Assert.Equal([3L, 8L], rows.Select(r => r["amount_sum_1h"]));
        Assert.Equal([2L, 1L], rows.Select(r => r["count_1h"]));
    }

    [Fact]
    public async Task WriteAsync_AggregationFeatures_WritesTheSameRowsToParquet()
    {
        await using var store = await TxnStoreAsync();
        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = await UserRowsAsync((1, At(10)), (2, At(10))),
            Features = ["txn:amount_sum_1h", "latest:amount", "txn:count_1h"],
        });
        var path = Path.Combine(Folder, "out.parquet");

        var written = await result.WriteAsync(path);

        await using var file = await EntityFileReader.OpenAsync(path);
        Assert.Equal(2, written);
        Assert.Equal(["user_id", "event_timestamp", "amount_sum_1h", "count_1h", "amount"], file.Columns.Select(c => c.Name));
        Assert.Equal([DataType.Int64, DataType.Int64, DataType.Int64], file.Columns.Skip(2).Select(c => c.Type));
    }
}
