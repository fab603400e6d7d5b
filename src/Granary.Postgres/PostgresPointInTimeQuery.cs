using System.Text;
using Granary.Definitions;
using Granary.Offline;
using Npgsql;
using NpgsqlTypes;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

/// <summary>
/// The SQL of a point-in-time join on PostgreSQL. Entity rows sit in a temp table with a row
/// number; each view is a <c>LEFT JOIN LATERAL</c> that picks, by index, the source row with the
/// same keys, the greatest event time not after the entity row's (and, with a ttl, not before that
/// time minus the ttl) and the greatest created time among equal event times. The source columns
/// are compared uncast so that a btree index on (keys..., event time) serves each lookup. Each
/// aggregation view is one more lateral join that aggregates the events of its windows
/// (<see cref="PostgresAggregationQuery"/>).
/// </summary>
internal sealed class PostgresPointInTimeQuery
{
    public const string EntityTable = "__granary_entities";
    public const string RowColumn = "__granary_row";
    private const string EventTimeColumn = "__granary_event_ts";

    private readonly HistoricalRequest _request;

    public PostgresPointInTimeQuery(HistoricalRequest request)
    {
        _request = request;
    }

    /// <summary>The statement that fills the entity table from a query or the sources, with its parameters; null for files.</summary>
    public (string Sql, NpgsqlParameter[] Parameters)? CreateEntityTable() => _request.Entities switch
    {
        EntitySql sql => (
            $"CREATE TEMP TABLE {Id(EntityTable)} AS SELECT row_number() OVER () AS {Id(RowColumn)}, q.* FROM ({sql.Sql.TrimEnd().TrimEnd(';')}) q",
            []),
        AllEntitiesAsOf all => (AllEntities(), [new NpgsqlParameter("as_of", NpgsqlDbType.TimestampTz) { Value = all.AsOf.UtcDateTime }]),
        EntityFile or EntityFiles => null,
        _ => throw new NotSupportedException(_request.Entities.GetType().Name),
    };

    private string AllEntities()
    {
        var keys = EntityRowsValidator.CommonJoinKeys(_request);
        var unions = _request.Sources.Select(source =>
            $"SELECT DISTINCT {string.Join(", ", keys.Select(k => $"CAST(src.{Id(source.SourceColumn(k.Name))} AS {TypeOf(k.Type)}) AS {Id(k.Name)}"))} " +
            $"FROM {Relation(source)} src WHERE {string.Join(" AND ", keys.Select(k => $"src.{Id(source.SourceColumn(k.Name))} IS NOT NULL"))}");
        var keyList = string.Join(", ", keys.Select(k => Id(k.Name)));
        return $"CREATE TEMP TABLE {Id(EntityTable)} AS SELECT row_number() OVER (ORDER BY {keyList}) AS {Id(RowColumn)}, {keyList}, " +
               $"CAST(@as_of AS timestamptz) AS {Id(_request.TimestampColumn)} FROM ({string.Join(" UNION ", unions)}) k";
    }

    /// <summary>The entity table's timestamp column as timestamptz: text and naive times become UTC instants.</summary>
    public string NormalizeTimestamp(SourceColumn time) =>
        time.NativeType == "timestamp with time zone"
            ? string.Empty
            : $"ALTER TABLE {Id(EntityTable)} ALTER COLUMN {Id(time.Name)} TYPE timestamptz USING CAST({Id(time.Name)} AS timestamptz)";

    public IReadOnlyList<string> OutputColumns(IReadOnlyList<SourceColumn> entityColumns) =>
        entityColumns.Select(c => c.Name).Concat(_request.FeatureColumns()).ToArray();

    public (string Sql, NpgsqlParameter[] Parameters) Select(IReadOnlyList<SourceColumn> entityColumns)
    {
        var parameters = new List<NpgsqlParameter>();
        var ts = $"e.{Id(_request.TimestampColumn)}";
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", entityColumns.Select(c => $"e.{Id(c.Name)}"));
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _request.Views.Count; i++)
        {
            for (var j = 0; j < _request.Views[i].Features.Count; j++)
            {
                outputs[_request.Views[i].Features[j].OutputName] = $"v{i}.{Feature(j)}";
            }

            if (_request.Views[i].EventTimestampOutputName is { } eventTimeName)
            {
                outputs[eventTimeName] = $"v{i}.{EventTimeColumn}";
            }
        }

        var aggregations = new StringBuilder();
        for (var i = 0; i < _request.Aggregations.Count; i++)
        {
            var (join, joinParameters) = PostgresAggregationQuery.LateralJoin(_request.Aggregations[i], i, ts, name => $"e.{Id(name)}", out var columns);
            aggregations.Append(join);
            parameters.AddRange(joinParameters);
            foreach (var (output, column) in columns)
            {
                outputs[output] = column;
            }
        }

        foreach (var name in _request.FeatureColumns())
        {
            sql.Append($", {outputs[name]} AS {Id(name)}");
        }

        // Probing the source index in key order (rather than in entity-row order, which is random
        // in keys) touches each index and heap page once instead of once per entity row.
        var firstKeys = _request.Views.Select(v => v.JoinKeys).Concat(_request.Aggregations.Select(a => a.JoinKeys)).FirstOrDefault();
        var probeOrder = firstKeys is null
            ? string.Empty
            : $" ORDER BY {string.Join(", ", firstKeys.Select(k => Id(k.Name)))}, {Id(_request.TimestampColumn)}";
        sql.Append($" FROM (SELECT * FROM {Id(EntityTable)}{probeOrder}) e");
        for (var i = 0; i < _request.Views.Count; i++)
        {
            var view = _request.Views[i];
            var source = view.Source;
            var column = (string name) => $"src.{Id(source.SourceColumn(name))}";
            var eventTime = column(source.TimestampField);
            sql.Append(" LEFT JOIN LATERAL (SELECT ");
            sql.AppendJoin(", ", view.Features.Select((f, j) => $"CAST({column(f.Field.Name)} AS {TypeOf(f.Field.Dtype)}) AS {Feature(j)}")
                .Append($"CAST({eventTime} AS timestamptz) AS {EventTimeColumn}"));
            sql.Append($" FROM {Relation(source)} src WHERE ");
            sql.AppendJoin(" AND ", view.JoinKeys.Select(k => $"{column(k.Name)} = CAST(e.{Id(k.Name)} AS {TypeOf(k.Type)})"));
            sql.Append($" AND {eventTime} <= {ts}");
            if (view.View.Ttl > TimeSpan.Zero)
            {
                // The latest row is older than the window exactly when every row is: filtering
                // before LIMIT 1 gives the same answer as nulling afterwards, and lets the index stop early.
                var ttl = $"ttl{i}";
                parameters.Add(new NpgsqlParameter(ttl, NpgsqlDbType.Interval) { Value = TimeSpan.FromSeconds(Math.Floor(view.View.Ttl.TotalSeconds)) });
                sql.Append($" AND {eventTime} >= {ts} - @{ttl}");
            }

            sql.Append($" ORDER BY {eventTime} DESC");
            if (source.CreatedTimestampColumn is { } created)
            {
                sql.Append($", {column(created)} DESC NULLS LAST");
            }

            sql.Append($" LIMIT 1) v{i} ON true");
        }

        sql.Append(aggregations);

        if (_request.PreserveEntityOrder)
        {
            sql.Append($" ORDER BY e.{Id(RowColumn)}");
        }

        return (sql.ToString(), parameters.ToArray());
    }

    /// <summary>
    /// For each key, the latest row with start &lt;= event time &lt;= end (ties by created time):
    /// DISTINCT ON the uncast key columns, so an index on (keys..., event time) serves it.
    /// </summary>
    public static (string Sql, NpgsqlParameter[] Parameters) PullLatest(ViewRequest view, DateTimeOffset start, DateTimeOffset end)
    {
        var source = view.Source;
        var column = (string name) => $"src.{Id(source.SourceColumn(name))}";
        var eventTime = column(source.TimestampField);
        var keys = string.Join(", ", view.JoinKeys.Select(k => column(k.Name)));
        var created = source.CreatedTimestampColumn is { } c ? $", {column(c)} DESC NULLS LAST" : string.Empty;
        var sql = new StringBuilder($"SELECT DISTINCT ON ({keys}) ");
        sql.AppendJoin(", ", view.JoinKeys.Select(k => $"CAST({column(k.Name)} AS {TypeOf(k.Type)}) AS {Id(k.Name)}"));
        sql.Append($", CAST({eventTime} AS timestamptz) AS {Id(OfflineStore.EventTimestampColumn)}");
        foreach (var feature in view.Features)
        {
            sql.Append($", CAST({column(feature.Field.Name)} AS {TypeOf(feature.Field.Dtype)}) AS {Id(feature.OutputName)}");
        }

        sql.Append($" FROM {Relation(source)} src WHERE {eventTime} >= @start AND {eventTime} <= @end");
        foreach (var key in view.JoinKeys)
        {
            sql.Append($" AND {column(key.Name)} IS NOT NULL");
        }

        sql.Append($" ORDER BY {keys}, {eventTime} DESC{created}");
        return (sql.ToString(),
        [
            new NpgsqlParameter("start", NpgsqlDbType.TimestampTz) { Value = start.UtcDateTime },
            new NpgsqlParameter("end", NpgsqlDbType.TimestampTz) { Value = end.UtcDateTime },
        ]);
    }

    /// <summary>
    /// The number of rows <see cref="PullLatest"/> returns: the distinct keys with a row whose event
    /// time is in [start, end], counted on the uncast key columns as PullLatest groups them.
    /// </summary>
    public static (string Sql, NpgsqlParameter[] Parameters) CountLatest(ViewRequest view, DateTimeOffset start, DateTimeOffset end)
    {
        var source = view.Source;
        var column = (string name) => $"src.{Id(source.SourceColumn(name))}";
        var eventTime = column(source.TimestampField);
        var keys = string.Join(", ", view.JoinKeys.Select(k => column(k.Name)));
        var sql = new StringBuilder($"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {Relation(source)} src WHERE {eventTime} >= @start AND {eventTime} <= @end");
        foreach (var key in view.JoinKeys)
        {
            sql.Append($" AND {column(key.Name)} IS NOT NULL");
        }

        sql.Append(") k");
        return (sql.ToString(),
        [
            new NpgsqlParameter("start", NpgsqlDbType.TimestampTz) { Value = start.UtcDateTime },
            new NpgsqlParameter("end", NpgsqlDbType.TimestampTz) { Value = end.UtcDateTime },
        ]);
    }

    /// <summary>The relation a source reads: its quoted table, or its query as a subquery.</summary>
    public static string Relation(DataSource source) => source switch
    {
        PostgresSource { Table: { Length: > 0 } table } => Table(table),
        PostgresSource { Query: { Length: > 0 } query } => $"({query.TrimEnd().TrimEnd(';')})",
        PostgresSource => throw new GranaryException($"postgres_source '{source.Name}' needs 'table' or 'query'"),
        _ => throw new GranaryException($"source '{source.Name}' is a {source.Kind}; the PostgreSQL offline store reads postgres_source only"),
    };

    private static string Feature(int index) => $"__f{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
