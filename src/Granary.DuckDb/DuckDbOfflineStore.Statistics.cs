using DuckDB.NET.Data;
using Granary.Statistics;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

public sealed partial class DuckDbOfflineStore
{
    /// <inheritdoc/>
    /// <remarks>The aggregates run in DuckDB over the source files (or Parquet files) as they are; only the figures come back.</remarks>
    public override async Task<IReadOnlyList<FeatureStatistics>> ComputeStatisticsAsync(StatisticsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var relation = StatisticsRelationOf(request.Input, request.Columns, "s_");
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SqlStatistics.ProfileAsync(connection, DuckDbStatisticsDialect.Instance, relation, request.Columns, cancellationToken).ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw Translate(e);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<DistributionComparison>> CompareDistributionsAsync(DistributionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reference = StatisticsRelationOf(request.Reference, request.ReferenceColumns, "ref_");
        var current = StatisticsRelationOf(request.Current, request.CurrentColumns, "cur_");
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SqlStatistics.CompareAsync(connection, DuckDbStatisticsDialect.Instance, reference, current, request.ReferenceColumns, cancellationToken).ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>The input's rows with the request's columns as <c>c0</c>, <c>c1</c>, ...; parameters named with <paramref name="prefix"/>.</summary>
    private StatisticsRelation StatisticsRelationOf(StatisticsInput input, IReadOnlyList<StatisticsColumn> columns, string prefix)
    {
        var (from, columnOf, time, start, end) = input switch
        {
            SourceRows rows => (Relation(rows.Source), (Func<string, string>)rows.Source.SourceColumn, rows.Source.TimestampField is var ts ? rows.Source.SourceColumn(ts) : null, rows.Start, rows.End),
            FileRows files when files.Paths.Count > 0 =>
                ($"(SELECT * FROM read_parquet([{string.Join(", ", files.Paths.Select(Literal))}], union_by_name = true))", name => name, files.TimeColumn, files.Start, files.End),
            FileRows files => throw new GranaryException($"{files.What}: there are no files to read"),
            TableRows table => throw new GranaryException($"{table.What}: the DuckDB offline store reads files, not table '{table.Table}'"),
            _ => throw new NotSupportedException(input.GetType().Name),
        };
        return SqlStatistics.Relation(DuckDbStatisticsDialect.Instance, from, columnOf, time, start, end, columns, prefix);
    }
}
