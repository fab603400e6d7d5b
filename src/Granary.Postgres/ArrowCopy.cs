using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Offline;
using Npgsql;
using NpgsqlTypes;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

/// <summary>
/// Arrow batches into a PostgreSQL table with binary COPY, a batch at a time: the one way entity
/// files and pushed rows enter PostgreSQL. Each Arrow type has one PostgreSQL type.
/// </summary>
internal static class ArrowCopy
{
    /// <summary>The PostgreSQL type a column of <paramref name="type"/> is stored as.</summary>
    public static string SqlType(IArrowType type) => type switch
    {
        ListType list => SqlType(list.ValueDataType) + "[]",
        _ => Scalar(type).Sql,
    };

    /// <summary>
    /// Copies <paramref name="batches"/> into <paramref name="table"/>, whose columns
    /// <paramref name="columns"/> have the <see cref="SqlType"/> of the batches' columns, in order.
    /// With <paramref name="rowColumn"/>, that column gets each row's number from 0, in batch order.
    /// <paramref name="table"/> is one name, quoted here; with <paramref name="quoteTable"/> false it is
    /// used as given, for a name the caller has validated (unquoted, and so folded to lower case, or schema-qualified).
    /// </summary>
    public static async Task<long> CopyAsync(
        NpgsqlConnection connection, string table, IReadOnlyList<string> columns, string? rowColumn, IAsyncEnumerable<RecordBatch> batches,
        CancellationToken cancellationToken, bool quoteTable = true)
    {
        var names = string.Join(", ", (rowColumn is null ? columns : columns.Prepend(rowColumn)).Select(Id));
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {(quoteTable ? Id(table) : table)} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        long row = 0;
        await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            for (var r = 0; r < batch.Length; r++)
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                if (rowColumn is not null)
                {
                    await writer.WriteAsync(row, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                }

                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    await WriteValueAsync(writer, batch.Column(c), r, cancellationToken).ConfigureAwait(false);
                }

                row++;
            }
        }

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return row;
    }

    /// <summary>One batch as a sequence, for <see cref="CopyAsync"/>.</summary>
    public static async IAsyncEnumerable<RecordBatch> Single(RecordBatch batch, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
        yield return batch;
    }

    private static (string Sql, NpgsqlDbType DbType) Scalar(IArrowType type) => type switch
    {
        BooleanType => ("boolean", NpgsqlDbType.Boolean),
        Int32Type or Int16Type or Int8Type => ("integer", NpgsqlDbType.Integer),
        Int64Type => ("bigint", NpgsqlDbType.Bigint),
        FloatType => ("real", NpgsqlDbType.Real),
        DoubleType => ("double precision", NpgsqlDbType.Double),
        StringType => ("text", NpgsqlDbType.Text),
        BinaryType => ("bytea", NpgsqlDbType.Bytea),
        TimestampType or Date32Type => ("timestamptz", NpgsqlDbType.TimestampTz),
        _ => throw new GranaryException($"Arrow type {type.Name} cannot be written to PostgreSQL"),
    };

    private static Task WriteValueAsync(NpgsqlBinaryImporter writer, IArrowArray column, int row, CancellationToken cancellationToken)
    {
        if (column.IsNull(row))
        {
            return writer.WriteNullAsync(cancellationToken);
        }

        return column switch
        {
            BooleanArray a => writer.WriteAsync(a.GetValue(row)!.Value, NpgsqlDbType.Boolean, cancellationToken),
            Int32Array a => writer.WriteAsync(a.GetValue(row)!.Value, NpgsqlDbType.Integer, cancellationToken),
            Int64Array a => writer.WriteAsync(a.GetValue(row)!.Value, NpgsqlDbType.Bigint, cancellationToken),
            FloatArray a => writer.WriteAsync(a.GetValue(row)!.Value, NpgsqlDbType.Real, cancellationToken),
            DoubleArray a => writer.WriteAsync(a.GetValue(row)!.Value, NpgsqlDbType.Double, cancellationToken),
            StringArray a => writer.WriteAsync(a.GetString(row), NpgsqlDbType.Text, cancellationToken),
            BinaryArray a => writer.WriteAsync(a.GetBytes(row).ToArray(), NpgsqlDbType.Bytea, cancellationToken),
            TimestampArray a => writer.WriteAsync(a.GetTimestamp(row)!.Value.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken),
            ListArray a => WriteListAsync(writer, a, row, cancellationToken),
            _ => WriteOtherAsync(writer, column, row, cancellationToken),
        };
    }

    private static Task WriteListAsync(NpgsqlBinaryImporter writer, ListArray column, int row, CancellationToken cancellationToken)
    {
        var type = NpgsqlDbType.Array | Scalar(((ListType)column.Data.DataType).ValueDataType).DbType;
        return ArrowBatches.GetValue(column, row) switch
        {
            long[] v => writer.WriteAsync(v, type, cancellationToken),
            int[] v => writer.WriteAsync(v, type, cancellationToken),
            double[] v => writer.WriteAsync(v, type, cancellationToken),
            float[] v => writer.WriteAsync(v, type, cancellationToken),
            bool[] v => writer.WriteAsync(v, type, cancellationToken),
            string[] v => writer.WriteAsync(v, type, cancellationToken),
            DateTimeOffset[] v => writer.WriteAsync(v.Select(t => t.UtcDateTime).ToArray(), type, cancellationToken),
            var other => throw new GranaryException($"list values of type {other?.GetType().Name} cannot be written to PostgreSQL"),
        };
    }

    private static Task WriteOtherAsync(NpgsqlBinaryImporter writer, IArrowArray column, int row, CancellationToken cancellationToken) =>
        ArrowBatches.GetValue(column, row) switch
        {
            int v => writer.WriteAsync(v, NpgsqlDbType.Integer, cancellationToken),
            DateTimeOffset v => writer.WriteAsync(v.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken),
            var other => throw new GranaryException($"values of type {other?.GetType().Name} cannot be written to PostgreSQL"),
        };
}
