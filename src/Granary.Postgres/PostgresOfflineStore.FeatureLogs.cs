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
    /// (under a transaction-scoped advisory lock, so that servers logging to the same table do not race in the
    /// catalogs; no DDL when every column is there), then the rows are appended with binary COPY by column name. The table's name is used unquoted, as <c>granary skew</c> and <c>drift</c> read it: a name or
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
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext(@name))", cancellationToken, new NpgsqlParameter("name", "granary_feature_log:" + table))
                .ConfigureAwait(false);

            // The table's columns (none when it does not exist): DDL, and its exclusive lock, only for what is missing.
            var existing = new HashSet<string>(StringComparer.Ordinal);
            await using (var columns = new NpgsqlCommand("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(@table) AND attnum > 0 AND NOT attisdropped", connection))
            {
                columns.Parameters.AddWithValue("table", table);
                await using var reader = await columns.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    existing.Add(reader.GetString(0));
                }
            }

            var missing = fields.Where(f => !existing.Contains(f.Name)).Select(f => $"{Id(f.Name)} {ArrowCopy.SqlType(f.DataType)}").ToArray();
            if (existing.Count == 0)
            {
                await ExecuteAsync(connection, $"CREATE TABLE {table} ({string.Join(", ", missing)})", cancellationToken).ConfigureAwait(false);
            }
            else if (missing.Length > 0)
            {
                await ExecuteAsync(connection, $"ALTER TABLE {table} {string.Join(", ", missing.Select(d => "ADD COLUMN " + d))}", cancellationToken).ConfigureAwait(false);
            }

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
