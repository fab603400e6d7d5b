using System.Globalization;
using System.Text;
using Granary.Definitions;
using Granary.Offline;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

/// <summary>
/// The SQL of a point-in-time join. The entity rows are the relation <see cref="EntityTable"/>, whose
/// <see cref="RowColumn"/> numbers them in input order: a temp table's rowid, or for entity files the
/// file's place in the list and the row's place in the file, read in place. Each view joins with an ASOF
/// LEFT JOIN on its keys and <c>entity time &gt;= event time</c>, which picks the latest row not after
/// the entity row; a ttl then nulls rows older than the window. Ties on event time are removed
/// beforehand, keeping the greatest created time. Each aggregation view is a window query with one row
/// per entity row (<see cref="AggregationQuery"/>), joined on the row number. The output is sorted by
/// row number unless the request lets the rows come in any order.
/// </summary>
internal sealed class PointInTimeQuery
{
    /// <summary>The entity rows with their row number: the relation the join reads.</summary>
    public const string EntityTable = "__granary_entities";

    /// <summary>The temp table that entity rows loaded by the store (not read in place) go into.</summary>
    public const string EntityRowsTable = "__granary_entity_rows";

    /// <summary>The entity rows' number in input order, in <see cref="EntityTable"/> and not in the output.</summary>
    public const string RowColumn = AggregationQuery.RowColumn;
    private const string TimeColumn = "__granary_ts";
    private const string CreatedColumn = "__granary_created";

    private readonly HistoricalRequest _request;
    private readonly Func<DataSource, string> _relation;

    public PointInTimeQuery(HistoricalRequest request, Func<DataSource, string> relation)
    {
        _request = request;
        _relation = relation;
    }

    /// <summary>The statement that fills the entity rows table from a query or the sources; entity files are loaded by the store.</summary>
    public string CreateEntityTable()
    {
        var select = _request.Entities switch
        {
            EntitySql sql => $"SELECT * FROM ({sql.Sql.TrimEnd().TrimEnd(';')})",
            AllEntitiesAsOf => AllEntities(),
            _ => throw new NotSupportedException(_request.Entities.GetType().Name),
        };
        return $"CREATE TEMP TABLE {EntityRowsTable} AS {select}";
    }

    /// <summary>The statement that makes <see cref="EntityTable"/> of <see cref="EntityRowsTable"/>, numbered by rowid (insertion order).</summary>
    public static string NumberEntityRows() =>
        $"CREATE TEMP VIEW {EntityTable} AS SELECT *, rowid AS {RowColumn} FROM {EntityRowsTable}";

    /// <summary>A query of the entity columns, without the row number: what the output starts with.</summary>
    public static string EntityColumns() => $"SELECT * EXCLUDE ({RowColumn}) FROM {EntityTable}";

    private string AllEntities()
    {
        var keys = EntityRowsValidator.CommonJoinKeys(_request);
        var unions = _request.Sources.Select(source =>
            $"SELECT DISTINCT {string.Join(", ", keys.Select(k => $"CAST(src.{Id(source.SourceColumn(k.Name))} AS {TypeOf(k.Type)}) AS {Id(k.Name)}"))} " +
            $"FROM {_relation(source)} src WHERE {string.Join(" AND ", keys.Select(k => $"src.{Id(source.SourceColumn(k.Name))} IS NOT NULL"))}");
        var keyList = string.Join(", ", keys.Select(k => Id(k.Name)));
        return $"SELECT {keyList}, CAST($as_of AS TIMESTAMPTZ) AS {Id(_request.TimestampColumn)} FROM ({string.Join(" UNION ", unions)}) ORDER BY {keyList}";
    }

    public IReadOnlyList<string> OutputColumns(IReadOnlyList<SourceColumn> entityColumns) =>
        entityColumns.Select(c => c.Name).Concat(_request.FeatureColumns()).ToArray();

    public string Select(IReadOnlyList<SourceColumn> entityColumns)
    {
        EntityRowsValidator.Validate(_request, entityColumns);
        var ts = Id(_request.TimestampColumn);
        var sql = new StringBuilder();
        sql.Append($"SELECT e.* EXCLUDE ({RowColumn}, {TimeColumn}) REPLACE (e.{TimeColumn} AS {ts})");
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _request.Views.Count; i++)
        {
            var view = _request.Views[i];
            var ttl = (long)view.View.Ttl.TotalSeconds;
            string Within(string value) => ttl > 0
                ? $"CASE WHEN v{i}.{TimeColumn} >= e.{TimeColumn} - INTERVAL '{ttl.ToString(CultureInfo.InvariantCulture)} seconds' THEN {value} END"
                : value;
            for (var j = 0; j < view.Features.Count; j++)
            {
                outputs[view.Features[j].OutputName] = Within($"v{i}.{Feature(j)}");
            }

            if (view.EventTimestampOutputName is { } eventTime)
            {
                outputs[eventTime] = Within($"v{i}.{TimeColumn}");
            }
        }

        var aggregations = new List<string>();
        for (var i = 0; i < _request.Aggregations.Count; i++)
        {
            var aggregation = _request.Aggregations[i];
            aggregations.Add(AggregationQuery.Select(aggregation, _relation(aggregation.Source), EntityTable, _request.TimestampColumn, out var columns));
            foreach (var (output, column) in columns)
            {
                outputs[output] = $"a{i}.{column}";
            }
        }

        foreach (var name in _request.FeatureColumns())
        {
            sql.Append($", {outputs[name]} AS {Id(name)}");
        }

        sql.Append($" FROM (SELECT *, CAST({ts} AS TIMESTAMPTZ) AS {TimeColumn} FROM {EntityTable}) e");
        for (var i = 0; i < _request.Views.Count; i++)
        {
            var view = _request.Views[i];
            var keys = string.Join(" AND ", view.JoinKeys.Select(k => $"CAST(e.{Id(k.Name)} AS {TypeOf(k.Type)}) = v{i}.{Id(k.Name)}"));
            sql.Append($" ASOF LEFT JOIN ({ViewRows(view, _relation(view.Source), dedupeTies: true)}) v{i} ON {keys} AND e.{TimeColumn} >= v{i}.{TimeColumn}");
        }

        // Each aggregation query has one row per entity row; joined on the row number.
        for (var i = 0; i < aggregations.Count; i++)
        {
            sql.Append($" LEFT JOIN ({aggregations[i]}) a{i} ON a{i}.{AggregationQuery.RowColumn} = e.{RowColumn}");
        }

        if (_request.PreserveEntityOrder)
        {
            sql.Append($" ORDER BY e.{RowColumn}");
        }

        return sql.ToString();
    }

    public static string PullLatest(ViewRequest view, string relation)
    {
        var keys = string.Join(", ", view.JoinKeys.Select(k => Id(k.Name)));
        var features = string.Join(string.Empty, view.Features.Select((f, j) => $", {Feature(j)} AS {Id(f.OutputName)}"));
        var created = view.Source.CreatedTimestampColumn is null ? string.Empty : $", {CreatedColumn} DESC NULLS LAST";
        return $"SELECT {keys}, {TimeColumn} AS {Id(OfflineStore.EventTimestampColumn)}{features} " +
               $"FROM ({ViewRows(view, relation, dedupeTies: false)}) " +
               $"WHERE {TimeColumn} >= CAST($start AS TIMESTAMPTZ) AND {TimeColumn} <= CAST($end AS TIMESTAMPTZ) " +
               $"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY {TimeColumn} DESC{created}) = 1";
    }

    /// <summary>The number of rows <see cref="PullLatest"/> returns: the distinct keys with a row in the interval.</summary>
    public static string CountLatest(ViewRequest view, string relation)
    {
        var keys = string.Join(", ", view.JoinKeys.Select(k => Id(k.Name)));
        var keysOnly = view with { Features = [] };
        return $"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM ({ViewRows(keysOnly, relation, dedupeTies: false)}) " +
               $"WHERE {TimeColumn} >= CAST($start AS TIMESTAMPTZ) AND {TimeColumn} <= CAST($end AS TIMESTAMPTZ))";
    }

    private static string Feature(int index) => $"__f{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The source's rows with keys, event time and features renamed and cast to the declared types.</summary>
    private static string ViewRows(ViewRequest view, string relation, bool dedupeTies)
    {
        var source = view.Source;
        var column = (string name) => $"src.{Id(source.SourceColumn(name))}";
        var select = new StringBuilder("SELECT ");
        select.AppendJoin(", ", view.JoinKeys.Select(k => $"CAST({column(k.Name)} AS {TypeOf(k.Type)}) AS {Id(k.Name)}"));
        select.Append($", CAST({column(source.TimestampField)} AS TIMESTAMPTZ) AS {TimeColumn}");
        if (source.CreatedTimestampColumn is { } created)
        {
            select.Append($", CAST({column(created)} AS TIMESTAMPTZ) AS {CreatedColumn}");
        }

        for (var j = 0; j < view.Features.Count; j++)
        {
            select.Append($", CAST({column(view.Features[j].Field.Name)} AS {TypeOf(view.Features[j].Field.Dtype)}) AS {Feature(j)}");
        }

        select.Append($" FROM {relation} src WHERE {column(source.TimestampField)} IS NOT NULL");
        foreach (var key in view.JoinKeys)
        {
            select.Append($" AND {column(key.Name)} IS NOT NULL");
        }

        if (dedupeTies && source.CreatedTimestampColumn is not null)
        {
            var keys = string.Join(", ", view.JoinKeys.Select(k => Id(k.Name)));
            select.Append($" QUALIFY row_number() OVER (PARTITION BY {keys}, {TimeColumn} ORDER BY {CreatedColumn} DESC NULLS LAST) = 1");
        }

        return select.ToString();
    }
}
