using System.Globalization;

namespace Granary.Benchmarks.Offline;

/// <summary>
/// The hand-written DuckDB query that the aggregation benchmark holds Granary to: the same 12 columns
/// (count, sum, avg, max of amount over 1h, 1d and 7d with the automatic hops 5m, 1h, 1h, or exact
/// windows) for every entity row, in entity-row order, with the contract's window edges.
/// </summary>
/// <remarks>
/// Technique: one sort of the entity rows ("probes") unioned with the events by user_id and an
/// integer order key u (2t for an event, 2t - 1 for a probe, t in microseconds), then window
/// aggregates whose frame <c>RANGE BETWEEN 2(t - start(t)) - 1 PRECEDING AND CURRENT ROW</c> holds
/// exactly the events with start(t) &lt;= time &lt; t; the offset is a per-row expression for tiled
/// windows, 0 for events (a frame of their peers only). The entity rows' own columns ride along in
/// the union, so no join puts them back. This was the fastest of the queries measured
/// (docs/aggregations.md lists the others): integer keys rather than timestamps with intervals, an
/// end bound at CURRENT ROW rather than <c>1 PRECEDING</c> (whose search in DuckDB slows down in a
/// large partition), and no frames to aggregate for events.
/// </remarks>
internal static class AggregationBaseline
{
    private static readonly (string Name, long Micros)[] Windows = [("1h", 3_600_000_000), ("1d", 86_400_000_000), ("7d", 604_800_000_000)];

    /// <summary>The automatic hop of each window: 5 minutes under 12 hours, 1 hour under 12 days.</summary>
    private static long AutomaticHop(long window) => window < 43_200_000_000 ? 300_000_000 : 3_600_000_000;

    /// <summary>The statements: load the entity rows (as Granary does, for their row order), then COPY the result.</summary>
    public static string Sql(string entities, string events, string output, bool exact)
    {
        string Offset(long w)
        {
            var window = w.ToString(CultureInfo.InvariantCulture);
            if (exact)
            {
                return $"CASE WHEN r IS NULL THEN 0 ELSE 2 * {window} - 1 END";
            }

            var hop = AutomaticHop(w).ToString(CultureInfo.InvariantCulture);
            return $"CASE WHEN r IS NULL THEN 0 ELSE 2 * ({window} + (((epoch_us(event_timestamp) - {window}) % {hop}) + {hop}) % {hop}) - 1 END";
        }

        var columns = string.Join(",\n      ", Windows.Select((w, i) =>
            $"count(ev) OVER w{i} AS count_{w.Name}, sum(amount) OVER w{i} AS amount_sum_{w.Name}, " +
            $"avg(amount) OVER w{i} AS amount_avg_{w.Name}, max(amount) OVER w{i} AS amount_max_{w.Name}"));
        var windows = string.Join(",\n      ", Windows.Select((w, i) =>
            $"w{i} AS (PARTITION BY user_id ORDER BY u RANGE BETWEEN {Offset(w.Micros)} PRECEDING AND CURRENT ROW)"));
        return $"""
            SET TimeZone = 'UTC';
            CREATE TEMP TABLE e AS SELECT * FROM read_parquet('{entities}');
            COPY (
              SELECT user_id, event_timestamp, label,
                  {columns}
              FROM (
                SELECT rowid AS r, user_id, event_timestamp, label, 2 * epoch_us(event_timestamp) - 1 AS u, NULL::DOUBLE AS amount, NULL::INTEGER AS ev FROM e
                UNION ALL
                SELECT NULL, user_id, NULL, NULL, 2 * epoch_us(event_timestamp), amount, 1 FROM read_parquet('{events}')
              )
              WINDOW {windows}
              QUALIFY r IS NOT NULL
              ORDER BY r
            ) TO '{output}' (FORMAT parquet);
            """;
    }
}
