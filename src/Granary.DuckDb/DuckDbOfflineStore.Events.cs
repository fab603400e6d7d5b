using System.Runtime.CompilerServices;
using System.Text;
using Apache.Arrow;
using DuckDB.NET.Data;
using Granary.Offline;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

public sealed partial class DuckDbOfflineStore
{
    /// <inheritdoc/>
    /// <remarks>One scan of the source inside DuckDB, filtered on the event time and sorted there; only the requested columns are read.</remarks>
    public override async IAsyncEnumerable<RecordBatch> PullEventsAsync(
        EventsRequest request, DateTimeOffset start, DateTimeOffset end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = EventsSql(request, Relation(request.Source));
        command.Parameters.Add(new DuckDBParameter("start", start.UtcDateTime));
        command.Parameters.Add(new DuckDBParameter("end", end.UtcDateTime));
        command.UseStreamingMode = true;
        await using var reader = await ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in ArrowBatches.ReadAsync(reader, _options.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    private static string EventsSql(EventsRequest request, string relation)
    {
        var source = request.Source;
        string Column(string name) => $"src.{Id(source.SourceColumn(name))}";
        var time = $"CAST({Column(source.TimestampField)} AS TIMESTAMPTZ)";
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", request.JoinKeys.Select(k => $"CAST({Column(k.Name)} AS {TypeOf(k.Type)}) AS {Id(k.Name)}"));
        sql.Append($", {time} AS {Id(OfflineStore.EventTimestampColumn)}");
        sql.Append(source.CreatedTimestampColumn is { } created
            ? $", CAST({Column(created)} AS TIMESTAMPTZ) AS {Id(OfflineStore.CreatedTimestampColumn)}"
            : $", CAST(NULL AS TIMESTAMPTZ) AS {Id(OfflineStore.CreatedTimestampColumn)}");
        foreach (var column in request.Columns)
        {
            sql.Append($", CAST({Column(column.Name)} AS {TypeOf(column.Dtype)}) AS {Id(column.Name)}");
        }

        sql.Append($" FROM {relation} src WHERE {time} >= CAST($start AS TIMESTAMPTZ) AND {time} < CAST($end AS TIMESTAMPTZ)");
        foreach (var key in request.JoinKeys)
        {
            sql.Append($" AND {Column(key.Name)} IS NOT NULL");
        }

        sql.Append(" ORDER BY ");
        sql.AppendJoin(", ", request.JoinKeys.Select(k => Id(k.Name)));
        sql.Append($", {Id(OfflineStore.EventTimestampColumn)}, {Id(OfflineStore.CreatedTimestampColumn)} NULLS FIRST");
        return sql.ToString();
    }
}
