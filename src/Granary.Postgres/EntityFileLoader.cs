using Granary.Offline;
using Npgsql;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

/// <summary>
/// Loads an entity file into a temp table with binary COPY, from the batches of the core
/// <see cref="EntityFileReader"/>, so that its columns get the types every offline store gives them.
/// Streaming: a batch at a time, never the whole file. A row-number column keeps the input order.
/// </summary>
internal static class EntityFileLoader
{
    public static Task LoadAsync(NpgsqlConnection connection, EntityFileReader file, string table, string rowColumn, CancellationToken cancellationToken) =>
        LoadAsync(connection, file.Schema, file.ReadAsync(cancellationToken: cancellationToken), table, rowColumn, cancellationToken);

    /// <summary>Loads batches of the layout <paramref name="schema"/> (several files' rows: <see cref="EntityFiles"/>).</summary>
    public static async Task LoadAsync(
        NpgsqlConnection connection, Apache.Arrow.Schema schema, IAsyncEnumerable<Apache.Arrow.RecordBatch> batches, string table, string rowColumn, CancellationToken cancellationToken)
    {
        var fields = schema.FieldsList;
        var definitions = string.Join(", ", fields.Select(f => $"{Id(f.Name)} {ArrowCopy.SqlType(f.DataType)}"));
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE {Id(table)} ({Id(rowColumn)} bigint NOT NULL, {definitions})", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ArrowCopy.CopyAsync(
            connection, table, fields.Select(f => f.Name).ToArray(), rowColumn, batches, cancellationToken).ConfigureAwait(false);
    }
}
