using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Granary.Offline;
using Granary.Online;
using Npgsql;

namespace Granary.Postgres;

/// <summary>
/// A point-in-time join waiting to run on the connection that holds its entity temp table; it
/// streams when read or written, a batch at a time.
/// </summary>
internal sealed class PostgresRetrievalResult : RetrievalResult
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _sql;
    private readonly NpgsqlParameter[] _parameters;
    private readonly int _batchSize;

    public PostgresRetrievalResult(
        NpgsqlConnection connection, NpgsqlDataSource dataSource, string sql, NpgsqlParameter[] parameters, IReadOnlyList<string> columnNames, int batchSize)
    {
        _connection = connection;
        _dataSource = dataSource;
        _sql = sql;
        _parameters = parameters;
        _batchSize = batchSize;
        ColumnNames = columnNames;
    }

    public override IReadOnlyList<string> ColumnNames { get; }

    public override async IAsyncEnumerable<RecordBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var reader = await ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var batch in ReadBatchesAsync(reader, _dataSource, _batchSize, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <summary>Reads Arrow batches from a reader, turning PostgreSQL errors into user messages.</summary>
    public static async IAsyncEnumerable<RecordBatch> ReadBatchesAsync(
        DbDataReader reader, NpgsqlDataSource dataSource, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batches = ArrowBatches.ReadAsync(reader, FieldTypes(reader), batchSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (batches.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await batches.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (NpgsqlException e)
                {
                    throw PostgresErrors.Translate("offline store", dataSource, e);
                }

                yield return batches.Current;
            }
        }
    }

    /// <summary>
    /// The .NET type of each column. Npgsql says only <see cref="System.Array"/> for an array column; its
    /// element type comes from the column's PostgreSQL type, so that lists keep their item type.
    /// </summary>
    private static Type[] FieldTypes(DbDataReader reader) => Enumerable.Range(0, reader.FieldCount)
        .Select(i => reader.GetFieldType(i) == typeof(System.Array) && reader is NpgsqlDataReader npgsql
                && PostgresSql.ToDataType(npgsql.GetPostgresType(i), out _) is { IsList: true } list
            ? FeatureValueCodec.ClrTypeOf(list)
            : reader.GetFieldType(i))
        .ToArray();

    private async Task<NpgsqlDataReader> ExecuteAsync(CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(_sql, _connection);
        command.Parameters.AddRange(_parameters.Select(p => p.Clone()).ToArray());
        try
        {
            // Sequential access: values are read as they arrive, so wide rows are never buffered whole.
            return await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate("offline store", _dataSource, e);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
