using Apache.Arrow;
using Granary.Definitions;
using Npgsql;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

public sealed partial class PostgresOfflineStore
{
    private const string PushTable = "__granary_push";

    /// <summary>
    /// Appends rows to a table source (the offline half of a push), in one transaction: the rows are
    /// copied with binary COPY into a temp table of their own types, then inserted into the source
    /// table by column name, where PostgreSQL converts them to the table's types. Field mapping
    /// renames the columns back to the table's names. A query source cannot be written.
    /// </summary>
    public override async Task WriteAsync(DataSource source, RecordBatch rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rows);
        var table = source switch
        {
            PostgresSource { Table: { Length: > 0 } name } => name,
            PostgresSource => throw new GranaryException($"postgres_source '{source.Name}' is a query; pushed rows can be appended to a table source only"),
            _ => throw new GranaryException($"source '{source.Name}' is a {source.Kind}; the PostgreSQL offline store writes postgres_source tables only"),
        };
        var fields = rows.Schema.FieldsList;
        var definitions = string.Join(", ", fields.Select(f => $"{Id(f.Name)} {ArrowCopy.SqlType(f.DataType)}"));
        var targets = string.Join(", ", fields.Select(f => Id(source.SourceColumn(f.Name))));
        var values = string.Join(", ", fields.Select(f => Id(f.Name)));
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"CREATE TEMP TABLE {Id(PushTable)} ({definitions}) ON COMMIT DROP", cancellationToken).ConfigureAwait(false);
            await ArrowCopy.CopyAsync(connection, PushTable, fields.Select(f => f.Name).ToArray(), null, ArrowCopy.Single(rows), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"INSERT INTO {Table(table)} ({targets}) SELECT {values} FROM {Id(PushTable)}", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }
}
