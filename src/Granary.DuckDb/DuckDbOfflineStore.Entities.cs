using DuckDB.NET.Data;
using Granary.Offline;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

public sealed partial class DuckDbOfflineStore
{
    /// <summary>DuckDB's virtual columns for a row's file and its place in it, which a column of the file of the same name (in any case) shadows.</summary>
    private static readonly HashSet<string> FilePositionColumns = new(["file_index", "file_row_number"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Loads an entity file into the entity rows table through <see cref="EntityFileReader"/>, so that its
    /// columns get the types every offline store gives them. DuckDB reads a Parquet file itself (in
    /// parallel, the rows never pass through .NET), each column cast to the type the reader maps it
    /// to; a CSV file's rows come from the reader's batches, typed by its one inference rule.
    /// </summary>
    private static async Task LoadEntityFileAsync(DuckDBConnection connection, HistoricalRequest request, string path, CancellationToken cancellationToken)
    {
        await using var file = await EntityFileReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        EntityRowsValidator.Validate(request, file);
        var table = PointInTimeQuery.EntityRowsTable;
        if (file.IsParquet)
        {
            var columns = string.Join(", ", file.Schema.FieldsList.Select(f => $"CAST({Id(f.Name)} AS {SqlType(f.DataType)}) AS {Id(f.Name)}"));
            await ExecuteAsync(connection, $"CREATE TEMP TABLE {table} AS SELECT {columns} FROM read_parquet({Literal(path)})", cancellationToken).ConfigureAwait(false);
            return;
        }

        await FillEntityRowsAsync(connection, file.Schema, file.ReadAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the entity relation a view of several Parquet files that DuckDB reads in place at each use (in
    /// parallel, matched by column name, the rows never copied nor passing through .NET), each column cast to
    /// the type the entity-file reader gives it, and only the rows in the range kept. The row number is the
    /// file's place in the list (high bits) and the row's place in its file (low 40 bits), so that sorting by it
    /// gives the files' order, then each file's row order.
    /// </summary>
    private static async Task ViewEntityFilesAsync(DuckDBConnection connection, HistoricalRequest request, EntityFiles files, CancellationToken cancellationToken)
    {
        var schema = await files.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var paths = string.Join(", ", files.Paths.Select(Literal));
        var fileColumns = await DescribeAsync(connection, $"SELECT * FROM read_parquet([{paths}], union_by_name = true)", cancellationToken).ConfigureAwait(false);
        if (fileColumns.Any(c => FilePositionColumns.Contains(c.Name)))
        {
            // A column of the files would shadow DuckDB's numbering, which has no other name: the rows come through .NET
            // instead (in the range, file by file), numbered in insertion order.
            await FillEntityRowsAsync(connection, schema, files.ReadAsync(request.TimestampColumn, cancellationToken), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, PointInTimeQuery.NumberEntityRows(), cancellationToken).ConfigureAwait(false);
            return;
        }

        var columns = string.Join(", ", files.Columns.Select((c, i) => $"CAST({Id(c.Source)} AS {SqlType(schema.GetFieldByIndex(i).DataType)}) AS {Id(c.Name)}"));
        var time = Id(request.TimestampColumn);
        var range = new List<string>();

        // A view keeps no parameters: the bounds are literals, written from the times themselves.
        if (files.From is { } from)
        {
            range.Add($"{time} >= {TimestampLiteral(from)}");
        }

        if (files.To is { } to)
        {
            range.Add($"{time} <= {TimestampLiteral(to)}");
        }

        var where = range.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", range);
        var row = $"CAST(file_index AS BIGINT) * {1L << 40} + file_row_number AS {PointInTimeQuery.RowColumn}";
        await ExecuteAsync(
            connection,
            $"CREATE TEMP VIEW {PointInTimeQuery.EntityTable} AS SELECT * FROM (SELECT {columns}, {row} FROM read_parquet([{paths}], union_by_name = true)){where}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the entity rows table with <paramref name="schema"/>'s columns and appends <paramref name="batches"/> to it in order.</summary>
    private static async Task FillEntityRowsAsync(DuckDBConnection connection, Apache.Arrow.Schema schema, IAsyncEnumerable<Apache.Arrow.RecordBatch> batches, CancellationToken cancellationToken)
    {
        var table = PointInTimeQuery.EntityRowsTable;
        var definitions = string.Join(", ", schema.FieldsList.Select(f => $"{Id(f.Name)} {SqlType(f.DataType)}"));
        await ExecuteAsync(connection, $"CREATE TEMP TABLE {table} ({definitions})", cancellationToken).ConfigureAwait(false);
        await foreach (var batch in batches.ConfigureAwait(false))
        {
            Append(connection, table, batch);
        }
    }
}
