using Granary.Offline;
using Granary.Statistics;
using Npgsql;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

public sealed partial class PostgresOfflineStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// The aggregates run in PostgreSQL over the source table or query; Parquet files (saved datasets,
    /// served-feature logs) are first copied into a temp table of the session with binary COPY.
    /// </remarks>
    public override async Task<IReadOnlyList<FeatureStatistics>> ComputeStatisticsAsync(StatisticsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var relation = await StatisticsRelationAsync(connection, request.Input, request.Columns, "s_", cancellationToken).ConfigureAwait(false);
            return await SqlStatistics.ProfileAsync(connection, PostgresStatisticsDialect.Instance, relation, request.Columns, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<DistributionComparison>> CompareDistributionsAsync(DistributionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var reference = await StatisticsRelationAsync(connection, request.Reference, request.ReferenceColumns, "ref_", cancellationToken).ConfigureAwait(false);
            var current = await StatisticsRelationAsync(connection, request.Current, request.CurrentColumns, "cur_", cancellationToken).ConfigureAwait(false);
            return await SqlStatistics.CompareAsync(connection, PostgresStatisticsDialect.Instance, reference, current, request.ReferenceColumns, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <summary>The input's rows with the request's columns as <c>c0</c>, <c>c1</c>, ...; parameters and temp tables named with <paramref name="prefix"/>.</summary>
    private static async Task<StatisticsRelation> StatisticsRelationAsync(
        NpgsqlConnection connection, StatisticsInput input, IReadOnlyList<StatisticsColumn> columns, string prefix, CancellationToken cancellationToken)
    {
        var (from, columnOf, time, start, end) = input switch
        {
            SourceRows rows => (PostgresPointInTimeQuery.Relation(rows.Source), (Func<string, string>)rows.Source.SourceColumn, rows.Source.SourceColumn(rows.Source.TimestampField), rows.Start, rows.End),
            TableRows table => (Table(table.Table), name => name, table.TimeColumn, table.Start, table.End),
            FileRows files => (await LoadFilesAsync(connection, files, $"__granary_{prefix}files", cancellationToken).ConfigureAwait(false), name => name, files.TimeColumn, files.Start, files.End),
            _ => throw new NotSupportedException(input.GetType().Name),
        };
        return SqlStatistics.Relation(PostgresStatisticsDialect.Instance, from, columnOf, time, start, end, columns, prefix);
    }

    /// <summary>
    /// Copies Parquet files into one temp table, columns matched by name: a column only some files
    /// have is null in the others' rows. Returns the table's quoted name.
    /// </summary>
    private static async Task<string> LoadFilesAsync(NpgsqlConnection connection, FileRows files, string table, CancellationToken cancellationToken)
    {
        if (files.Paths.Count == 0)
        {
            throw new GranaryException($"{files.What}: there are no files to read");
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in files.Paths)
        {
            await using var file = await EntityFileReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            var fields = file.Schema.FieldsList;
            var added = fields.Where(f => !known.Contains(f.Name)).Select(f => $"{Id(f.Name)} {ArrowCopy.SqlType(f.DataType)}").ToArray();
            var statement = known.Count == 0
                ? $"CREATE TEMP TABLE {Id(table)} ({string.Join(", ", added)})"
                : added.Length == 0 ? null : $"ALTER TABLE {Id(table)} {string.Join(", ", added.Select(a => "ADD COLUMN " + a))}";
            if (statement is not null)
            {
                await ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
            }

            known.UnionWith(fields.Select(f => f.Name));
            await ArrowCopy.CopyAsync(connection, table, fields.Select(f => f.Name).ToArray(), null, file.ReadAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        return Id(table);
    }
}
