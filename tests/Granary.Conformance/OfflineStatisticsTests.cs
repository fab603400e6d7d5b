using Granary.Definitions;
using Granary.Offline;
using Granary.Statistics;

namespace Granary.Conformance;

/// <summary>
/// The statistics and drift counts an offline store computes (optional in the contract: a store that
/// offers them passes this suite unchanged). Every expected figure is worked out by hand in the
/// comments from the rows each test writes; times are on 2021-04-12 UTC.
/// </summary>
public abstract class OfflineStatisticsTests : OfflineStoreSuite
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A suite over the store that <see cref="OfflineStoreSuite.CreateStoreAsync"/> builds.</summary>
    protected OfflineStatisticsTests()
        : base("granary-stats-")
    {
    }

    /// <summary>Stores <paramref name="table"/> where the store reads it and returns a source over it (timestamp field <c>event_timestamp</c>).</summary>
    protected abstract Task<DataSource> CreateSourceAsync(string name, TestTable table, IReadOnlyDictionary<string, string>? fieldMapping = null);

    private static DateTimeOffset At(int hour) => Day.AddHours(hour);

    private static readonly (string, string)[] Columns =
        [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float64"), ("tier", "string"), ("trips", "int64"), ("active", "bool")];

    /// <summary>Six rows from 01:00 to 10:00 and one on each side of that range.</summary>
    private static TestTable Stats() => TestTable.Of(Columns,
        [1L, At(1), 1.0, "gold", 10L, true],
        [2L, At(2), 2.0, "silver", 20L, false],
        [3L, At(3), 4.0, "gold", null, true],
        [4L, At(4), null, null, 40L, null],
        [5L, At(5), 8.0, "bronze", 50L, true],
        [6L, At(10), 5.0, "gold", 60L, false],
        [7L, At(11), 1000.0, "x", 70L, true],
        [8L, At(-1), 500.0, "y", 80L, true]);

    private static StatisticsColumn Column(string name, string type) => new($"v__{name}", name, DataType.Parse(type));

    [Fact]
    public async Task ComputeStatistics_SourceRowsInRange_HandWorkedFigures()
    {
        var source = await CreateSourceAsync("stats", Stats());

        var result = await Store.ComputeStatisticsAsync(new StatisticsRequest(
            new SourceRows(source, At(0), At(10)),
            [Column("conv_rate", "float64"), Column("tier", "string"), Column("trips", "int64"), Column("active", "bool")]));

        // conv_rate in range: 1, 2, 4, null, 8, 5 (the 10:00 row is in: both ends are inclusive).
        var conv = result[0];
        Assert.Equal(("v__conv_rate", "numeric", 6L, 1L, 5L), (conv.Feature, conv.Kind, conv.Count, conv.Nulls, conv.Distinct!.Value));
        Assert.Equal(1.0 / 6, conv.NullRate, 12);
        Assert.Equal((1.0, 8.0), (conv.Min!.Value, conv.Max!.Value));
        // mean 20 / 5 = 4; squared deviations 9 + 4 + 0 + 16 + 1 = 30, / (5 - 1) = 7.5.
        Assert.Equal(4.0, conv.Mean!.Value, 12);
        Assert.Equal(Math.Sqrt(7.5), conv.Stddev!.Value, 12);
        // Sorted 1, 2, 4, 5, 8; quantile p sits at h = 4p: p01 1.04, p05 1.2, p25 2, p50 4, p75 5, p95 5 + 0.8 * 3, p99 5 + 0.96 * 3.
        Assert.Equal(["p01", "p05", "p25", "p50", "p75", "p95", "p99"], conv.Quantiles.Keys);
        Assert.Equal([1.04, 1.2, 2, 4, 5, 7.4, 7.88], conv.Quantiles.Values.Select(v => Math.Round(v, 10)));
        // 20 bins of width 7 / 20 = 0.35 from 1: 1 -> bin 0, 2 -> 2 (2.86), 4 -> 8 (8.57), 5 -> 11 (11.43), 8 -> the last bin.
        var histogram = conv.Histogram!;
        Assert.Equal(21, histogram.Edges.Count);
        Assert.Equal((1.0, 1.35, 8.0), (histogram.Edges[0], Math.Round(histogram.Edges[1], 10), histogram.Edges[20]));
        Assert.Equal([1L, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], histogram.Counts);
        Assert.Empty(conv.Top);

        // tier: gold, silver, gold, null, bronze, gold; ties by value.
        var tier = result[1];
        Assert.Equal(("categorical", 6L, 1L, 3L), (tier.Kind, tier.Count, tier.Nulls, tier.Distinct!.Value));
        Assert.Equal([new TopValue("gold", 3), new TopValue("bronze", 1), new TopValue("silver", 1)], tier.Top);
        Assert.Null(tier.Mean);
        Assert.Null(tier.Histogram);

        // trips: 10, 20, null, 40, 50, 60: mean 36; deviations -26 -16 4 14 24, squares 676 + 256 + 16 + 196 + 576 = 1720, / 4 = 430.
        var trips = result[2];
        Assert.Equal((6L, 1L, 10.0, 60.0, 36.0), (trips.Count, trips.Nulls, trips.Min!.Value, trips.Max!.Value, trips.Mean!.Value));
        Assert.Equal(Math.Sqrt(430), trips.Stddev!.Value, 10);
        Assert.Equal(40, trips.Quantiles["p50"], 10);

        // active: true, false, true, null, true, false.
        Assert.Equal([new TopValue("true", 3), new TopValue("false", 2)], result[3].Top);
    }

    [Fact]
    public async Task ComputeStatistics_OpenRangeAndFieldMapping_ReadsEveryRowByItsGranaryName()
    {
        var source = await CreateSourceAsync("mapped", Stats(), new Dictionary<string, string> { ["conv_rate"] = "rate" });

        var result = await Store.ComputeStatisticsAsync(new StatisticsRequest(new SourceRows(source, null, null), [Column("rate", "float64")]));

        // All eight rows: 1, 2, 4, null, 8, 5, 1000, 500.
        Assert.Equal((8L, 1L, 1.0, 1000.0), (result[0].Count, result[0].Nulls, result[0].Min!.Value, result[0].Max!.Value));
        Assert.Equal(1520.0 / 7, result[0].Mean!.Value, 10);
    }

    [Fact]
    public async Task ComputeStatistics_NoRowsInRange_CountsZeroAndMeasuresNothing()
    {
        var source = await CreateSourceAsync("empty", Stats());

        var result = await Store.ComputeStatisticsAsync(new StatisticsRequest(new SourceRows(source, At(20), At(21)), [Column("conv_rate", "float64"), Column("tier", "string")]));

        Assert.Equal((0L, 0L, 0.0), (result[0].Count, result[0].Nulls, result[0].NullRate));
        Assert.Null(result[0].Min);
        Assert.Null(result[0].Histogram);
        Assert.Empty(result[0].Quantiles);
        Assert.Empty(result[1].Top);
    }

    [Fact]
    public async Task ComputeStatistics_NotFiniteValues_CountedButNotMeasured()
    {
        var source = await CreateSourceAsync("nan", TestTable.Of(Columns,
            [1L, At(1), double.NaN, "a", 1L, true],
            [2L, At(2), double.PositiveInfinity, "a", 1L, true],
            [3L, At(3), 3.0, "a", 1L, true],
            [4L, At(4), 3.0, "a", 1L, true]));

        var conv = (await Store.ComputeStatisticsAsync(new StatisticsRequest(new SourceRows(source, null, null), [Column("conv_rate", "float64")])))[0];

        // Four values, none null; only the two 3s are measured, and they fill the first bin of an empty range.
        Assert.Equal((4L, 0L, 3.0, 3.0, 3.0), (conv.Count, conv.Nulls, conv.Min!.Value, conv.Max!.Value, conv.Mean!.Value));
        Assert.Equal(0.0, conv.Stddev!.Value, 12);
        Assert.Equal(2L, conv.Histogram!.Counts[0]);
        Assert.Equal(2L, conv.Histogram.Counts.Sum());
    }

    [Fact]
    public async Task ComputeStatistics_ParquetFilesWithATimeColumn_ReadsColumnsByNameAcrossFiles()
    {
        var first = Path.Combine(Folder, "part-1.parquet");
        var second = Path.Combine(Folder, "part-2.parquet");
        await WriteParquetAsync(first, ("v__x", typeof(double), [1.0, 2.0]), ("__log_timestamp", typeof(DateTimeOffset), [At(1), At(2)]));
        await WriteParquetAsync(second, ("__log_timestamp", typeof(DateTimeOffset), [At(3), At(30)]), ("v__x", typeof(double), [6.0, 100.0]));

        var result = await Store.ComputeStatisticsAsync(new StatisticsRequest(
            new FileRows([first, second], "logs", "__log_timestamp", At(0), At(12)), [new StatisticsColumn("v__x", "v__x", DataType.Float64)]));

        // 1, 2 and 6; the row at 30:00 (the next day) is out of range.

        // 1, 2 and 6; the row at 30:00 (the next day) is out of range.
        Assert.Equal((3L, 1.0, 6.0, 3.0), (result[0].Count, result[0].Min!.Value, result[0].Max!.Value, result[0].Mean!.Value));
    }

    [Fact]
    public async Task CompareDistributions_DisjointNumericRanges_DecileBinsAndKsOfOne()
    {
        var rows = Enumerable.Range(1, 10).Select(i => new object?[] { (long)i, At(1), (double)i, "a", 1L, true })
            .Concat(Enumerable.Range(101, 10).Select(i => new object?[] { (long)i, At(5), (double)i, "b", 1L, true })).ToArray();
        var source = await CreateSourceAsync("disjoint", new TestTable(TestTable.Of(Columns).Columns, rows));

        var result = await Store.CompareDistributionsAsync(new DistributionRequest(new SourceRows(source, At(0), At(2)), [Column("conv_rate", "float64")], new SourceRows(source, At(4), At(6)), [Column("conv_rate", "float64")]));

        // Deciles of 1..10 sit at h = 9p: 1.9, 2.8, ..., 9.1; each reference value has a bin of its own; all current values are above 9.1.
        var compared = result[0];
        Assert.Equal([1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1], compared.Edges.Select(e => Math.Round(e, 10)));
        Assert.Equal(Enumerable.Repeat(1L, 10), compared.ReferenceCounts);
        Assert.Equal([0L, 0, 0, 0, 0, 0, 0, 0, 0, 10], compared.CurrentCounts);
        Assert.Equal((10L, 10L, 1.0), (compared.ReferenceCount, compared.CurrentCount, compared.KsStatistic!.Value));
    }

    [Fact]
    public async Task CompareDistributions_HalfOverlappingNumbers_KsIsTheGapAtFive()
    {
        var rows = Enumerable.Range(1, 10).Select(i => new object?[] { (long)i, At(1), (double)i, "a", 1L, true })
            .Concat(Enumerable.Range(6, 10).Select(i => new object?[] { (long)i, At(5), (double)i, "b", 1L, true })).ToArray();
        var source = await CreateSourceAsync("shifted", new TestTable(TestTable.Of(Columns).Columns, rows));

        var compared = (await Store.CompareDistributionsAsync(new DistributionRequest(new SourceRows(source, At(0), At(2)), [Column("conv_rate", "float64")], new SourceRows(source, At(4), At(6)), [Column("conv_rate", "float64")])))[0];

        // At 5 the reference's distribution function is 0.5 and the current's 0; current 6..15 falls in bins 5, 6, 7, 8 and six above 9.1.
        Assert.Equal(0.5, compared.KsStatistic!.Value, 12);
        Assert.Equal([0L, 0, 0, 0, 0, 1, 1, 1, 1, 6], compared.CurrentCounts);
    }

    [Fact]
    public async Task CompareDistributions_IdenticalInputs_SameCountsAndKsZero()
    {
        var source = await CreateSourceAsync("same", Stats());
        var range = new SourceRows(source, At(0), At(10));

        var result = await Store.CompareDistributionsAsync(new DistributionRequest(range, [Column("conv_rate", "float64"), Column("tier", "string")], range with { }, [Column("conv_rate", "float64"), Column("tier", "string")]));

        Assert.Equal(result[0].ReferenceCounts, result[0].CurrentCounts);
        Assert.Equal(0.0, result[0].KsStatistic!.Value);
        Assert.Equal(["bronze", "gold", "silver"], result[1].Categories);
        Assert.Equal([1L, 3, 1], result[1].ReferenceCounts);
        Assert.Equal([1L, 3, 1], result[1].CurrentCounts);
    }

    [Fact]
    public async Task CompareDistributions_Categories_CountsPerValueOnEachSideNullsLeftOut()
    {
        var source = await CreateSourceAsync("tiers", TestTable.Of(Columns,
            [1L, At(1), 1.0, "a", 1L, true],
            [2L, At(1), 1.0, "a", 1L, true],
            [3L, At(1), 1.0, "b", 1L, true],
            [4L, At(1), 1.0, null, 1L, true],
            [5L, At(5), 1.0, "b", 1L, true],
            [6L, At(5), 1.0, "c", 1L, true],
            [7L, At(5), 1.0, "c", 1L, true]));

        var compared = (await Store.CompareDistributionsAsync(new DistributionRequest(new SourceRows(source, At(0), At(2)), [Column("tier", "string")], new SourceRows(source, At(4), At(6)), [Column("tier", "string")])))[0];

        Assert.Equal(["a", "b", "c"], compared.Categories);
        Assert.Equal([2L, 1, 0], compared.ReferenceCounts);
        Assert.Equal([0L, 1, 2], compared.CurrentCounts);
        Assert.Equal((3L, 3L), (compared.ReferenceCount, compared.CurrentCount));
        Assert.Null(compared.KsStatistic);
    }

    /// <summary>A file as served-feature logs are written: times in milliseconds, doubles; columns in the order given.</summary>
    private static async Task WriteParquetAsync(string path, params (string Name, Type Type, object?[] Values)[] columns)
    {
        var fields = columns.Select(c => c.Type == typeof(DateTimeOffset)
            ? (Parquet.Schema.DataField)new Parquet.Schema.DateTimeDataField(c.Name, Parquet.Schema.DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: Parquet.Schema.DateTimeTimeUnit.Millis, isNullable: true)
            : new Parquet.Schema.DataField<double?>(c.Name)).ToArray();
        await using var file = File.Create(path);
        await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(fields), file);
        using var group = writer.CreateRowGroup();
        for (var i = 0; i < fields.Length; i++)
        {
            if (columns[i].Type == typeof(DateTimeOffset))
            {
                await group.WriteAsync<DateTime>(fields[i], columns[i].Values.Select(v => (DateTime?)((DateTimeOffset)v!).UtcDateTime).ToArray(), null, null, default);
            }
            else
            {
                await group.WriteAsync<double>(fields[i], columns[i].Values.Select(v => (double?)v).ToArray(), null, null, default);
            }
        }

        group.CompleteValidate();
    }
}
