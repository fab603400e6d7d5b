using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using Apache.Arrow;
using Granary.Offline;
using Npgsql;
using NpgsqlTypes;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

public sealed partial class PostgresOfflineStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// Filters on the uncast event time, so that an index on it serves the range, and sorts on the
    /// cast keys, so that source values equal once cast (an <c>integer</c> and a <c>bigint</c>
    /// column, say) are one entity.
    /// </remarks>
    public override async IAsyncEnumerable<RecordBatch> PullEventsAsync(
        EventsRequest request, DateTimeOffset start, DateTimeOffset end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sql = EventsSql(request);
        await using var connection = await Translate(_dataSource.OpenConnectionAsync(cancellationToken).AsTask()).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.TimestampTz) { Value = start.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter("end", NpgsqlDbType.TimestampTz) { Value = end.UtcDateTime });
        await using var reader = await Translate(command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken)).ConfigureAwait(false);
        await foreach (var batch in PostgresRetrievalResult.ReadBatchesAsync(reader, _dataSource, _options.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    private static string EventsSql(EventsRequest request)
    {
        var source = request.Source;
        string Column(string name) => $"src.{Id(source.SourceColumn(name))}";
        var time = Column(source.TimestampField);
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", request.JoinKeys.Select(k => $"CAST({Column(k.Name)} AS {TypeOf(k.Type)}) AS {Id(k.Name)}"));
        sql.Append($", CAST({time} AS timestamptz) AS {Id(OfflineStore.EventTimestampColumn)}");
        sql.Append(source.CreatedTimestampColumn is { } created
            ? $", CAST({Column(created)} AS timestamptz) AS {Id(OfflineStore.CreatedTimestampColumn)}"
            : $", CAST(NULL AS timestamptz) AS {Id(OfflineStore.CreatedTimestampColumn)}");
        foreach (var column in request.Columns)
        {
            sql.Append($", CAST({Column(column.Name)} AS {TypeOf(column.Dtype)}) AS {Id(column.Name)}");
        }

        sql.Append($" FROM {PostgresPointInTimeQuery.Relation(source)} src WHERE {time} >= @start AND {time} < @end");
        foreach (var key in request.JoinKeys)
        {
            sql.Append($" AND {Column(key.Name)} IS NOT NULL");
        }

        // By the cast keys, as they are compared: two source values that cast to one key stay together.
        sql.Append(" ORDER BY ");
        sql.AppendJoin(", ", request.JoinKeys.Select(k => Id(k.Name)));
        sql.Append($", {Id(OfflineStore.EventTimestampColumn)}, {Id(OfflineStore.CreatedTimestampColumn)} NULLS FIRST");
        return sql.ToString();
    }
}
