using DuckDB.NET.Data;
using Granary.Offline;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

public sealed partial class DuckDbOfflineStore
{
    /// <summary>
    /// Loads an entity file into the entity table through <see cref="EntityFileReader"/>, so that its
    /// columns get the types every offline store gives them. DuckDB reads a Parquet file itself (in
    /// parallel, the rows never pass through .NET), each column cast to the type the reader maps it
    /// to; a CSV file's rows come from the reader's batches, typed by its one inference rule.
    /// </summary>
    private static async Task LoadEntityFileAsync(DuckDBConnection connection, HistoricalRequest request, string path, CancellationToken cancellationToken)
    {
        await using var file = await EntityFileReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        EntityRowsValidator.Validate(request, file);
        var table = PointInTimeQuery.EntityTable;
        if (file.IsParquet)
        {
            var columns = string.Join(", ", file.Schema.FieldsList.Select(f => $"CAST({Id(f.Name)} AS {SqlType(f.DataType)}) AS {Id(f.Name)}"));
            await ExecuteAsync(connection, $"CREATE TEMP TABLE {table} AS SELECT {columns} FROM read_parquet({Literal(path)})", cancellationToken).ConfigureAwait(false);
            return;
        }

        var definitions = string.Join(", ", file.Schema.FieldsList.Select(f => $"{Id(f.Name)} {SqlType(f.DataType)}"));
        await ExecuteAsync(connection, $"CREATE TEMP TABLE {table} ({definitions})", cancellationToken).ConfigureAwait(false);
        await foreach (var batch in file.ReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            Append(connection, table, batch);
        }
    }
}
