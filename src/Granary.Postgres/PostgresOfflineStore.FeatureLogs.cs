using Apache.Arrow;
using Granary.Repo;
using Npgsql;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

public sealed partial class PostgresOfflineStore
{
    /// <inheritdoc/>
    public override bool WritesFeatureLogTables => true;

    /// <inheritdoc/>
    /// <remarks>
    /// One transaction a batch: the table is created on first use and given the columns a newer layout brings
    /// (<c>ADD COLUMN IF NOT EXISTS</c>, under a transaction-scoped advisory lock so that servers logging to
    /// the same table do not race in the catalogs), then the rows are appended with binary COPY by column
    /// name. The table's name is used unquoted, as <c>granary skew</c> and <c>drift</c> read it: a name or
    /// <c>schema.name</c> of letters, digits and underscores, as the definition parser demands.
    /// </remarks>
    public override async Task WriteFeatureLogAsync(string table, RecordBatch rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        if (!Names.IsQualifiedValid(table))
        {
            throw new GranaryException($"feature log table '{table}' must be a name or schema.name of letters, digits and underscores");
        }

        var fields = rows.Schema.FieldsList;
        var definitions = fields.Select(f => $"{Id(f.Name)} {ArrowCopy.SqlType(f.DataType)}").ToArray();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext(@name))", cancellationToken, new NpgsqlParameter("name", "granary_feature_log:" + table))
                .ConfigureAwait(false);
            await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {table} ({string.Join(", ", definitions)})", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"ALTER TABLE {table} {string.Join(", ", definitions.Select(d => "ADD COLUMN IF NOT EXISTS " + d))}", cancellationToken)
                .ConfigureAwait(false);
            await ArrowCopy.CopyAsync(connection, table, fields.Select(f => f.Name).ToArray(), null, ArrowCopy.Single(rows), cancellationToken, quoteTable: false)
                .ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }
}
