using System.Runtime.CompilerServices;
using Apache.Arrow;
using DuckDB.NET.Data;
using Granary.Offline;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

/// <summary>A point-in-time join waiting to run on its own DuckDB connection; it streams when read or written.</summary>
internal sealed class DuckDbRetrievalResult : RetrievalResult
{
    private readonly DuckDBConnection _connection;
    private readonly string _sql;
    private readonly int _batchSize;

    public DuckDbRetrievalResult(DuckDBConnection connection, string sql, IReadOnlyList<string> columnNames, int batchSize)
    {
        _connection = connection;
        _sql = sql;
        _batchSize = batchSize;
        ColumnNames = columnNames;
    }

    public override IReadOnlyList<string> ColumnNames { get; }

    public override async IAsyncEnumerable<RecordBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = _sql;
        command.UseStreamingMode = true;
        await using var reader = await DuckDbOfflineStore.ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false);
        var batches = ArrowBatches.ReadAsync(reader, _batchSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
                catch (DuckDBException e)
                {
                    throw DuckDbOfflineStore.Translate(e);
                }

                yield return batches.Current;
            }
        }
    }

    /// <summary>DuckDB writes the file itself with COPY, in parallel, without the rows passing through .NET.</summary>
    protected override async Task<long> WriteNewFileAsync(string path, ResultFileFormat format, CancellationToken cancellationToken)
    {
        var options = format == ResultFileFormat.Csv ? "FORMAT csv, HEADER true, TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%fZ'" : "FORMAT parquet";
        await using var command = _connection.CreateCommand();
        command.CommandText = $"COPY ({_sql}) TO {Literal(path)} ({options})";
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw DuckDbOfflineStore.Translate(e);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
