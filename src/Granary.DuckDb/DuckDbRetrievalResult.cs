using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
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
        var arrow = await ArrowTypesAsync(cancellationToken).ConfigureAwait(false);
        var batches = arrow is null ? ReadRowsAsync(cancellationToken) : ReadArrowAsync(arrow, cancellationToken);
        await foreach (var batch in batches.ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// The Arrow types of the result's columns when every one is a type that DuckDB's own Arrow export gives as
    /// <see cref="ArrowBatches"/> would (numbers, booleans, strings, times); null otherwise (lists, decimals, dates...),
    /// which are read a row at a time.
    /// </summary>
    private async Task<IArrowType[]?> ArrowTypesAsync(CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "DESCRIBE " + _sql;
        await using var reader = await DuckDbOfflineStore.ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false);
        var types = new List<IArrowType>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            IArrowType? type = reader.GetString(1) switch
            {
                "BIGINT" => Int64Type.Default,
                "INTEGER" => Int32Type.Default,
                "DOUBLE" => DoubleType.Default,
                "FLOAT" => FloatType.Default,
                "BOOLEAN" => BooleanType.Default,
                "VARCHAR" => StringType.Default,
                "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP" => UtcMicroseconds,
                _ => null,
            };
            if (type is null)
            {
                return null;
            }

            types.Add(type);
        }

        return [.. types];
    }

    private static readonly TimestampType UtcMicroseconds = new(TimeUnit.Microsecond, "UTC");

    /// <summary>
    /// The result as DuckDB exports it to Arrow (its C data interface: whole vectors, no value passing through
    /// ADO.NET one at a time), its chunks (at most 2,048 rows) copied into batches of the store's size, and freed;
    /// a time column is labelled UTC as <see cref="ArrowBatches"/> labels it (DuckDB keeps UTC microseconds either way).
    /// </summary>
    private async IAsyncEnumerable<RecordBatch> ReadArrowAsync(IArrowType[] types, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = _sql;
        command.UseStreamingMode = true;
        var schema = new Schema(ColumnNames.Select((name, i) => new Field(name, types[i], nullable: true)), null);
        var chunks = command.ExecuteArrowBatchesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var parts = new List<RecordBatch>();
        var consumed = new List<RecordBatch>();
        var rows = 0;
        await using (chunks.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (DuckDBException e)
                {
                    throw DuckDbOfflineStore.Translate(e);
                }

                var chunk = chunks.Current;
                consumed.Add(chunk);
                for (var offset = 0; offset < chunk.Length;)
                {
                    var length = Math.Min(chunk.Length - offset, _batchSize - rows);
                    parts.Add(chunk.Slice(offset, length));
                    offset += length;
                    rows += length;
                    if (rows == _batchSize)
                    {
                        yield return Copy(schema, parts, rows);
                        parts.Clear();
                        rows = 0;

                        // Every chunk but the one still being cut is copied out.
                        Free(consumed, keepLast: offset < chunk.Length);
                    }
                }
            }
        }

        if (rows > 0)
        {
            yield return Copy(schema, parts, rows);
        }

        Free(consumed, keepLast: false);
    }

    private static void Free(List<RecordBatch> chunks, bool keepLast)
    {
        var last = chunks.Count > 0 && keepLast ? chunks[^1] : null;
        foreach (var chunk in chunks.Where(c => c != last))
        {
            chunk.Dispose();
        }

        chunks.Clear();
        if (last is not null)
        {
            chunks.Add(last);
        }
    }

    /// <summary>Parts of chunks copied into one batch of the schema <see cref="ArrowBatches"/> gives, owning its memory.</summary>
    private static RecordBatch Copy(Schema schema, List<RecordBatch> parts, int rows)
    {
        var columns = new IArrowArray[schema.FieldsList.Count];
        var arrays = new List<IArrowArray>(parts.Count);
        for (var c = 0; c < columns.Length; c++)
        {
            var field = schema.GetFieldByIndex(c);
            arrays.Clear();
            foreach (var part in parts)
            {
                arrays.Add(part.Column(c));
            }

            // A time column takes the field's type: the same microseconds, under the time zone every offline result
            // gives its times.
            columns[c] = ArrowConcatenation.TryConcatenate(arrays, field.DataType, rows) ?? Concatenate(field, arrays);
        }

        return new RecordBatch(schema, columns, rows);
    }

    /// <summary>Apache.Arrow's general concatenation, for a layout <see cref="ArrowConcatenation"/> does not copy.</summary>
    private static IArrowArray Concatenate(Field field, List<IArrowArray> arrays)
    {
        if (arrays.Count == 1)
        {
            // The concatenator hands a single array back as it is; an empty second one makes it copy.
            arrays.Add(ArrowArrayFactory.Slice(arrays[0], 0, 0));
        }

        var column = ArrowArrayConcatenator.Concatenate(arrays);
        if (column.Data.DataType.TypeId != field.DataType.TypeId)
        {
            throw new InvalidOperationException($"DuckDB exported column '{field.Name}' as {column.Data.DataType.Name}, not {field.DataType.Name}");
        }

        return column is TimestampArray
            ? new TimestampArray(new ArrayData(field.DataType, column.Length, column.NullCount, column.Offset, column.Data.Buffers))
            : column;
    }

    private async IAsyncEnumerable<RecordBatch> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
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
