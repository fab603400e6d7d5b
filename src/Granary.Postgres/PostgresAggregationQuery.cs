using System.Globalization;
using System.Text;
using Granary.Definitions;
using Granary.Offline;
using Npgsql;
using NpgsqlTypes;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

/// <summary>
/// The SQL of one aggregation view's features for each entity row on PostgreSQL: a lateral that
/// computes the row's window starts, then a <c>LEFT JOIN LATERAL</c> whose one aggregate row reads,
/// by an index range scan on (keys..., event time), the events of the row's keys from the earliest
/// window start to just before the row's time; each feature keeps the events of its own window
/// with a <c>FILTER</c>.
/// Window starts are computed from the row's time in exact microseconds: t - w, or for a tiled
/// window t - w minus the non-negative remainder of its microseconds since the epoch by the hop.
/// Strings compare with the "C" collation (by their UTF-8 bytes), whatever the database's default.
/// </summary>
internal static class PostgresAggregationQuery
{
    /// <summary>
    /// The lateral join of <paramref name="request"/> as <c>a{index}</c>, with its parameters;
    /// <paramref name="columns"/> gives, per output name, the column that holds it.
    /// </summary>
    /// <param name="request">The aggregation view's part of the request.</param>
    /// <param name="index">The join's number in the query, which names it and its parameters.</param>
    /// <param name="time">The entity row's time (a timestamptz expression).</param>
    /// <param name="entityColumn">The entity row's column of a name.</param>
    /// <param name="columns">Per output name, the column of the join that holds it.</param>
    public static (string Sql, NpgsqlParameter[] Parameters) LateralJoin(
        AggregationRequest request, int index, string time, Func<string, string> entityColumn, out IReadOnlyDictionary<string, string> columns)
    {
        var source = request.Source;
        string Column(string name) => $"src.{Id(source.SourceColumn(name))}";
        var eventTime = Column(source.TimestampField);
        var parameters = new List<NpgsqlParameter>();
        string Micros(long value)
        {
            var name = $"a{index.ToString(CultureInfo.InvariantCulture)}p{parameters.Count.ToString(CultureInfo.InvariantCulture)}";
            parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = value });
            return "@" + name;
        }

        // One start per distinct (window, hop), computed once per entity row in a lateral of its
        // own (rather than for each event the filters look at); one aggregate per distinct computation.
        var at = $"b{index.ToString(CultureInfo.InvariantCulture)}";
        var starts = new Dictionary<(long Window, long Hop), string>();
        var startExpressions = new List<string>();
        var expressions = new List<string>();
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var requested in request.Features)
        {
            var feature = requested.Feature;
            var frame = (AggregationView.ToMicroseconds(feature.Window), AggregationView.ToMicroseconds(feature.Hop));
            if (!starts.TryGetValue(frame, out var start))
            {
                var back = $"({time} - {Micros(frame.Item1)} * interval '1 microsecond')";
                if (frame.Item2 > 0)
                {
                    var hop = Micros(frame.Item2);
                    back = $"({back} - (((CAST(extract(epoch FROM {back}) * 1000000 AS bigint) % {hop}) + {hop}) % {hop}) * interval '1 microsecond')";
                }

                startExpressions.Add(back);
                start = $"{at}.__s{(startExpressions.Count - 1).ToString(CultureInfo.InvariantCulture)}";
                starts[frame] = start;
            }

            var expression = Expression(feature, source, Column, eventTime, $"{eventTime} >= {start}");
            if (!expressions.Contains(expression))
            {
                expressions.Add(expression);
            }

            outputs[requested.OutputName] = $"a{index.ToString(CultureInfo.InvariantCulture)}.__a{expressions.IndexOf(expression).ToString(CultureInfo.InvariantCulture)}";
        }

        var sql = new StringBuilder(" CROSS JOIN LATERAL (SELECT ");
        sql.AppendJoin(", ", startExpressions.Select((e, i) => $"{e} AS __s{i.ToString(CultureInfo.InvariantCulture)}"));
        // OFFSET 0 keeps PostgreSQL from pulling the starts up into every filter.
        sql.Append($" OFFSET 0) {at} LEFT JOIN LATERAL (SELECT ");
        sql.AppendJoin(", ", expressions.Select((e, i) => $"{e} AS __a{i.ToString(CultureInfo.InvariantCulture)}"));
        sql.Append($" FROM {PostgresPointInTimeQuery.Relation(source)} src WHERE ");
        sql.AppendJoin(" AND ", request.JoinKeys.Select(k => $"{Column(k.Name)} = CAST({entityColumn(k.Name)} AS {TypeOf(k.Type)})"));
        var earliest = starts.Count == 1 ? starts.Values.Single() : $"LEAST({string.Join(", ", starts.Values)})";
        sql.Append($" AND {eventTime} >= {earliest} AND {eventTime} < {time}) a{index.ToString(CultureInfo.InvariantCulture)} ON true");
        columns = outputs;
        return (sql.ToString(), parameters.ToArray());
    }

    /// <summary>
    /// The aggregate of one feature over the events of its window (<paramref name="inWindow"/>).
    /// first, last and last_k order events by time, then created time (none first), then value.
    /// </summary>
    private static string Expression(AggregationFeature feature, DataSource source, Func<string, string> column, string eventTime, string inWindow)
    {
        var aggregation = feature.Aggregation;
        if (aggregation.Column is null)
        {
            return $"count(*) FILTER (WHERE {inWindow})";
        }

        var type = aggregation.ColumnType;
        var value = type is { } t ? $"CAST({column(aggregation.Column)} AS {TypeOf(t)})" : column(aggregation.Column);
        if (type is { Scalar: ScalarType.String })
        {
            value += " COLLATE \"C\"";
        }

        var result = TypeOf(feature.Field.Dtype);
        var valued = $"FILTER (WHERE {value} IS NOT NULL AND {inWindow})";
        string Ordered(bool newestFirst)
        {
            var direction = newestFirst ? " DESC" : string.Empty;
            var created = source.CreatedTimestampColumn is { } c ? $", {column(c)}{direction} NULLS {(newestFirst ? "LAST" : "FIRST")}" : string.Empty;
            return $"array_agg({value} ORDER BY {eventTime}{direction}{created}, {value}{direction}) {valued}";
        }

        return aggregation.Function switch
        {
            AggregationFunction.Count => $"count({value}) FILTER (WHERE {inWindow})",
            AggregationFunction.Sum => $"CAST(sum(CAST({value} AS {result})) FILTER (WHERE {inWindow}) AS {result})",
            AggregationFunction.Avg => $"CAST(avg({value}) FILTER (WHERE {inWindow}) AS double precision)",
            AggregationFunction.Stddev => $"CAST(stddev_samp({value}) FILTER (WHERE {inWindow}) AS double precision)",
            AggregationFunction.Min => $"CAST(min({value}) FILTER (WHERE {inWindow}) AS {result})",
            AggregationFunction.Max => $"CAST(max({value}) FILTER (WHERE {inWindow}) AS {result})",
            AggregationFunction.First => $"CAST(({Ordered(newestFirst: false)})[1] AS {result})",
            AggregationFunction.Last => $"CAST(({Ordered(newestFirst: true)})[1] AS {result})",
            AggregationFunction.LastK => $"CAST(({Ordered(newestFirst: true)})[1:{aggregation.K!.Value.ToString(CultureInfo.InvariantCulture)}] AS {result})",
            AggregationFunction.CountDistinct => $"count(DISTINCT {value}) FILTER (WHERE {inWindow})",
            _ => throw new ArgumentOutOfRangeException(nameof(feature), aggregation.Function, "unknown function"),
        };
    }
}
