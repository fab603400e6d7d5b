using System.Globalization;
using System.Text;
using Granary.Definitions;
using Granary.Offline;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

/// <summary>
/// The SQL of one aggregation view's features for every entity row, as window aggregates over the
/// union of the entity rows ("probes", without values) and the source's events, partitioned by the
/// join keys and ordered by an integer key u built from the time t in microseconds since the Unix
/// epoch: u = 2t for an event and 2t - 1 for a probe. A probe at t gets the frame
/// <c>RANGE BETWEEN 2(t - start(t)) - 1 PRECEDING AND CURRENT ROW</c>: the rows with
/// 2 start(t) &lt;= u &lt;= 2t - 1, that is the events with start(t) &lt;= time &lt; t, and other probes,
/// whose values are null. The offset is a constant for an exact window and a per-row expression for
/// a tiled one (floor arithmetic on the microseconds, so that tiles count from the epoch whatever
/// their length). Events get the offset 0, a frame of their own peers, and are filtered out afterwards.
/// </summary>
/// <remarks>
/// Measured choices (docs/aggregations.md): an integer order key rather than a timestamp with an
/// interval offset (about ten times faster); ending frames at CURRENT ROW rather than at
/// <c>1 PRECEDING</c> (DuckDB finds an offset end bound slowly in a large partition: a key holding
/// 10% of the events made the query 2.7 times slower); near-empty frames for events.
/// </remarks>
internal static class AggregationQuery
{
    /// <summary>The entity row number column, which the entity relation has and the subquery returns.</summary>
    public const string RowColumn = "__granary_row";

    private const string TimeColumn = "__granary_t";
    private const string CreatedColumn = "__granary_created";
    private const string EventColumn = "__granary_event";

    /// <summary>
    /// A query returning <see cref="RowColumn"/> and one column per distinct feature of
    /// <paramref name="request"/>, for every row of <paramref name="entityTable"/>; <paramref name="columns"/>
    /// gives, per output name, the column that holds it. The entity relation numbers its rows in <see cref="RowColumn"/>.
    /// </summary>
    public static string Select(
        AggregationRequest request, string relation, string entityTable, string timestampColumn, out IReadOnlyDictionary<string, string> columns)
    {
        var source = request.Source;
        string Column(string name) => $"src.{Id(source.SourceColumn(name))}";
        var keys = request.JoinKeys;
        var valueColumns = request.Features.Select(f => f.Feature.Aggregation).Where(a => a.Column is not null)
            .Select(a => (Name: a.Column!, Type: a.ColumnType)).DistinctBy(c => c.Name).ToArray();
        var valueIndex = valueColumns.Select((c, i) => (c.Name, i)).ToDictionary(c => c.Name, c => c.i, StringComparer.Ordinal);
        string Value(string column) => $"__v{valueIndex[column].ToString(CultureInfo.InvariantCulture)}";
        var hasCreated = source.CreatedTimestampColumn is not null;

        // Probes first: entity rows with their time truncated to the microsecond, values null.
        var probes = new StringBuilder($"SELECT {RowColumn}");
        foreach (var key in keys)
        {
            probes.Append($", CAST({Id(key.Name)} AS {TypeOf(key.Type)}) AS {Id(key.Name)}");
        }

        probes.Append($", 2 * epoch_us(CAST({Id(timestampColumn)} AS TIMESTAMPTZ)) - 1 AS {TimeColumn}, CAST(NULL AS INTEGER) AS {EventColumn}");
        if (hasCreated)
        {
            probes.Append($", CAST(NULL AS BIGINT) AS {CreatedColumn}");
        }

        foreach (var (name, type) in valueColumns)
        {
            probes.Append($", {(type is { } t ? $"CAST(NULL AS {TypeOf(t)})" : "NULL")} AS {Value(name)}");
        }

        probes.Append($" FROM {entityTable}");

        var events = new StringBuilder($"SELECT CAST(NULL AS BIGINT)");
        foreach (var key in keys)
        {
            events.Append($", CAST({Column(key.Name)} AS {TypeOf(key.Type)})");
        }

        events.Append($", 2 * epoch_us(CAST({Column(source.TimestampField)} AS TIMESTAMPTZ)), 1");
        if (source.CreatedTimestampColumn is { } created)
        {
            // A row without a created time sorts before those with one, as it does for feature views.
            events.Append($", coalesce(epoch_us(CAST({Column(created)} AS TIMESTAMPTZ)), {long.MinValue.ToString(CultureInfo.InvariantCulture)})");
        }

        foreach (var (name, type) in valueColumns)
        {
            events.Append(type is { } t ? $", CAST({Column(name)} AS {TypeOf(t)})" : $", {Column(name)}");
        }

        events.Append($" FROM {relation} src WHERE {Column(source.TimestampField)} IS NOT NULL");
        foreach (var key in keys)
        {
            events.Append($" AND {Column(key.Name)} IS NOT NULL");
        }

        // One window per distinct (length, hop); one expression per distinct computation.
        var windows = new List<(long Window, long Hop)>();
        var expressions = new List<string>();
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var requested in request.Features)
        {
            var feature = requested.Feature;
            var frame = (AggregationView.ToMicroseconds(feature.Window), AggregationView.ToMicroseconds(feature.Hop));
            if (!windows.Contains(frame))
            {
                windows.Add(frame);
            }

            var expression = Expression(feature, $"w{windows.IndexOf(frame).ToString(CultureInfo.InvariantCulture)}", Value, hasCreated);
            if (!expressions.Contains(expression))
            {
                expressions.Add(expression);
            }

            outputs[requested.OutputName] = $"__a{expressions.IndexOf(expression).ToString(CultureInfo.InvariantCulture)}";
        }

        var partition = string.Join(", ", keys.Select(k => Id(k.Name)));
        var sql = new StringBuilder($"SELECT {RowColumn}");
        for (var i = 0; i < expressions.Count; i++)
        {
            sql.Append($", {expressions[i]} AS __a{i.ToString(CultureInfo.InvariantCulture)}");
        }

        sql.Append($" FROM ({probes} UNION ALL {events}) WINDOW ");
        sql.AppendJoin(", ", windows.Select((w, i) =>
            $"w{i.ToString(CultureInfo.InvariantCulture)} AS (PARTITION BY {partition} ORDER BY {TimeColumn} " +
            $"RANGE BETWEEN {Offset(w.Window, w.Hop)} PRECEDING AND CURRENT ROW)"));
        sql.Append($" QUALIFY {RowColumn} IS NOT NULL");
        columns = outputs;
        return sql.ToString();
    }

    /// <summary>
    /// How far back in u a probe's frame starts: 2(t - start(t)) - 1, where t - start(t) is w for an
    /// exact window and w + ((t - w) mod h) (the non-negative remainder) for a tiled one, and the
    /// probe's t is (u + 1) / 2, exactly; 0 for events and for a probe without a time.
    /// </summary>
    private static string Offset(long window, long hop)
    {
        var w = window.ToString(CultureInfo.InvariantCulture);
        var h = hop.ToString(CultureInfo.InvariantCulture);
        var back = hop > 0 ? $"{w} + (((({TimeColumn} + 1) // 2 - {w}) % {h}) + {h}) % {h}" : w;
        // BIGINT from the start: DuckDB types a literal such as 1800000000 (30m) as INTEGER, whose double overflows.
        return $"(CASE WHEN {RowColumn} IS NULL OR {TimeColumn} IS NULL THEN 0 ELSE CAST(2 AS BIGINT) * ({back}) - 1 END)";
    }

    /// <summary>
    /// The window aggregate of one feature. first, last and last_k order events by time, then created
    /// time, then value (a struct compares field by field), and skip null values.
    /// </summary>
    private static string Expression(AggregationFeature feature, string window, Func<string, string> value, bool hasCreated)
    {
        var aggregation = feature.Aggregation;
        if (aggregation.Column is null)
        {
            return $"count({EventColumn}) OVER {window}";
        }

        var v = value(aggregation.Column);
        var order = hasCreated
            ? $"struct_pack(t := {TimeColumn}, c := {CreatedColumn}, v := {v})"
            : $"struct_pack(t := {TimeColumn}, v := {v})";
        var nonNull = $"FILTER (WHERE {v} IS NOT NULL)";
        return aggregation.Function switch
        {
            AggregationFunction.Count => $"count({v}) OVER {window}",
            AggregationFunction.Sum => $"CAST(sum({v}) OVER {window} AS {TypeOf(feature.Field.Dtype)})",
            AggregationFunction.Avg => $"CAST(avg({v}) OVER {window} AS DOUBLE)",
            AggregationFunction.Min => $"min({v}) OVER {window}",
            AggregationFunction.Max => $"max({v}) OVER {window}",
            AggregationFunction.First => $"arg_min({v}, {order}) {nonNull} OVER {window}",
            AggregationFunction.Last => $"arg_max({v}, {order}) {nonNull} OVER {window}",
            AggregationFunction.LastK => $"arg_max({v}, {order}, {aggregation.K!.Value.ToString(CultureInfo.InvariantCulture)}) {nonNull} OVER {window}",
            AggregationFunction.Stddev when aggregation.ColumnType is { IsList: false, Scalar: ScalarType.Float32 or ScalarType.Float64 } =>
                // DuckDB's stddev_samp throws on an infinite or NaN result; the other paths give NaN, so this does.
                $"CASE WHEN count({v}) OVER {window} >= 2 AND count({v}) FILTER (WHERE NOT isfinite({v})) OVER {window} > 0 THEN CAST('NaN' AS DOUBLE) " +
                $"ELSE CAST(stddev_samp({v}) FILTER (WHERE isfinite({v})) OVER {window} AS DOUBLE) END",
            AggregationFunction.Stddev => $"CAST(stddev_samp({v}) OVER {window} AS DOUBLE)",
            AggregationFunction.CountDistinct => $"count(DISTINCT {v}) OVER {window}",
            _ => throw new ArgumentOutOfRangeException(nameof(feature), aggregation.Function, "unknown function"),
        };
    }
}
