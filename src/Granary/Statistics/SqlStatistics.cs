using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Granary.Statistics;

/// <summary>
/// The statistics and drift counts of <see cref="FeatureStatistics"/> and <see cref="DistributionComparison"/>
/// computed inside a SQL database, one feature at a time: only aggregates come back, never the rows.
/// Every SQL offline store runs these same queries through its <see cref="StatisticsDialect"/>, so that
/// DuckDB and PostgreSQL give the same figures.
/// </summary>
public static class SqlStatistics
{
    /// <summary>The name of the relation's column <paramref name="index"/>.</summary>
    public static string ColumnAlias(int index) => "c" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The rows of <paramref name="from"/> (a relation's SQL) to describe: <paramref name="columns"/> under their
    /// aliases and, when there is a time column, only rows whose time is set and within the inclusive range.
    /// </summary>
    /// <param name="dialect">The store's SQL.</param>
    /// <param name="from">The relation, aliased <c>src</c> here.</param>
    /// <param name="columnOf">A column's name in the relation (a source's field mapping).</param>
    /// <param name="time">The relation's time column; null for no range.</param>
    /// <param name="start">The range's start, inclusive.</param>
    /// <param name="end">The range's end, inclusive.</param>
    /// <param name="columns">The columns to describe.</param>
    /// <param name="prefix">Prefixes the parameters' names, so that two relations can share a query.</param>
    public static StatisticsRelation Relation(
        StatisticsDialect dialect, string from, Func<string, string> columnOf, string? time, DateTimeOffset? start, DateTimeOffset? end,
        IReadOnlyList<StatisticsColumn> columns, string prefix)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(columnOf);
        ArgumentNullException.ThrowIfNull(columns);
        var select = string.Join(", ", columns.Select((c, i) => $"src.{dialect.Id(columnOf(c.Column))} AS {ColumnAlias(i)}"));
        var sql = $"SELECT {select} FROM {from} src";
        var parameters = new List<(string, object)>();
        if (time is not null)
        {
            var at = $"CAST(src.{dialect.Id(time)} AS {dialect.TimestampType})";
            sql += $" WHERE src.{dialect.Id(time)} IS NOT NULL";
            if (start is { } s)
            {
                sql += $" AND {at} >= CAST({dialect.Parameter(prefix + "start")} AS {dialect.TimestampType})";
                parameters.Add(($"{prefix}start", s.UtcDateTime));
            }

            if (end is { } e)
            {
                sql += $" AND {at} <= CAST({dialect.Parameter(prefix + "end")} AS {dialect.TimestampType})";
                parameters.Add(($"{prefix}end", e.UtcDateTime));
            }
        }

        return new StatisticsRelation(sql, parameters);
    }

    /// <summary>The statistics of each column of <paramref name="columns"/> in <paramref name="relation"/>.</summary>
    public static async Task<IReadOnlyList<FeatureStatistics>> ProfileAsync(
        DbConnection connection, StatisticsDialect dialect, StatisticsRelation relation, IReadOnlyList<StatisticsColumn> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(relation);
        ArgumentNullException.ThrowIfNull(columns);
        var results = new List<FeatureStatistics>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            results.Add(columns[i].Kind switch
            {
                FeatureStatistics.NumericKind => await NumericAsync(connection, dialect, relation, columns[i], i, cancellationToken).ConfigureAwait(false),
                FeatureStatistics.CategoricalKind => await CategoricalAsync(connection, dialect, relation, columns[i], i, cancellationToken).ConfigureAwait(false),
                _ => await OtherAsync(connection, dialect, relation, columns[i], i, cancellationToken).ConfigureAwait(false),
            });
        }

        return results;
    }

    /// <summary>The drift counts of each column, the reference and the current relation read in one connection.</summary>
    public static async Task<IReadOnlyList<DistributionComparison>> CompareAsync(
        DbConnection connection, StatisticsDialect dialect, StatisticsRelation reference, StatisticsRelation current,
        IReadOnlyList<StatisticsColumn> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(columns);
        if (reference.Parameters.Select(p => p.Name).Intersect(current.Parameters.Select(p => p.Name)).FirstOrDefault() is { } clash)
        {
            throw new ArgumentException($"the reference and current relations both use parameter '{clash}'", nameof(current));
        }

        var results = new List<DistributionComparison>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            results.Add(columns[i].Kind == FeatureStatistics.NumericKind
                ? await CompareNumericAsync(connection, dialect, reference, current, columns[i], i, cancellationToken).ConfigureAwait(false)
                : await CompareCategoricalAsync(connection, dialect, reference, current, columns[i], i, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>The relation's finite values of column <paramref name="index"/> as <c>f</c> (null otherwise), and the raw value as <c>x</c>.</summary>
    private static string Values(StatisticsDialect dialect, StatisticsRelation relation, StatisticsColumn column, int index)
    {
        var x = dialect.ToDouble($"r.{ColumnAlias(index)}", column.Type);
        return $"SELECT {x} AS x, CASE WHEN {dialect.IsFinite(x)} THEN {x} END AS f FROM ({relation.Sql}) r";
    }

    private static async Task<FeatureStatistics> NumericAsync(
        DbConnection connection, StatisticsDialect dialect, StatisticsRelation relation, StatisticsColumn column, int index, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT count(*), count(x), count(DISTINCT x), min(f), max(f), avg(f), stddev_samp(f), count(f)");
        foreach (var (_, p) in FeatureStatistics.QuantilePoints)
        {
            sql.Append(", ").Append(dialect.Quantile("f", p));
        }

        sql.Append($" FROM ({Values(dialect, relation, column, index)}) t");
        var row = await SingleRowAsync(connection, sql.ToString(), relation.Parameters, cancellationToken).ConfigureAwait(false);
        var count = Long(row[0]);
        var values = Long(row[1]);
        var finite = Long(row[7]);
        var min = Double(row[3]);
        var max = Double(row[4]);
        var quantiles = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var q = 0; q < FeatureStatistics.QuantilePoints.Count; q++)
        {
            if (Double(row[8 + q]) is { } value)
            {
                quantiles[FeatureStatistics.QuantilePoints[q].Name] = value;
            }
        }

        Histogram? histogram = null;
        if (min is { } low && max is { } high)
        {
            histogram = await HistogramAsync(connection, dialect, relation, column, index, low, high, finite, cancellationToken).ConfigureAwait(false);
        }

        return new FeatureStatistics
        {
            Feature = column.Feature,
            Kind = FeatureStatistics.NumericKind,
            Count = count,
            Nulls = count - values,
            Distinct = Long(row[2]),
            Min = min,
            Max = max,
            Mean = Double(row[5]),
            Stddev = Double(row[6]),
            Quantiles = quantiles,
            Histogram = histogram,
        };
    }

    /// <summary>
    /// <see cref="FeatureStatistics.HistogramBins"/> equal bins from min to max; a value on an inner
    /// edge goes to the bin above it, the maximum to the last bin. All values equal: one full first bin.
    /// </summary>
    private static async Task<Histogram> HistogramAsync(
        DbConnection connection, StatisticsDialect dialect, StatisticsRelation relation, StatisticsColumn column, int index,
        double min, double max, long finite, CancellationToken cancellationToken)
    {
        const int bins = FeatureStatistics.HistogramBins;
        var width = (max - min) / bins;
        var edges = Enumerable.Range(0, bins + 1).Select(i => i == bins ? max : min + (i * width)).ToArray();
        var counts = new long[bins];
        if (width <= 0 || !double.IsFinite(width))
        {
            counts[0] = finite;
            return new Histogram(edges, counts);
        }

        var sql = $"SELECT LEAST(CAST(FLOOR((f - {dialect.Parameter("h_min")}) / {dialect.Parameter("h_width")}) AS BIGINT), {bins - 1}) AS b, count(*) " +
                  $"FROM ({Values(dialect, relation, column, index)}) t WHERE f IS NOT NULL GROUP BY 1";
        await foreach (var row in RowsAsync(connection, sql, [.. relation.Parameters, ("h_min", min), ("h_width", width)], cancellationToken).ConfigureAwait(false))
        {
            counts[Math.Clamp((int)Long(row[0]), 0, bins - 1)] += Long(row[1]);
        }

        return new Histogram(edges, counts);
    }

    private static async Task<FeatureStatistics> CategoricalAsync(
        DbConnection connection, StatisticsDialect dialect, StatisticsRelation relation, StatisticsColumn column, int index, CancellationToken cancellationToken)
    {
        var values = $"SELECT {dialect.ToText($"r.{ColumnAlias(index)}")} AS x FROM ({relation.Sql}) r";
        var row = await SingleRowAsync(connection, $"SELECT count(*), count(x), count(DISTINCT x) FROM ({values}) t", relation.Parameters, cancellationToken).ConfigureAwait(false);
        var top = new List<TopValue>();
        var sql = $"SELECT x, count(*) AS n FROM ({values}) t WHERE x IS NOT NULL GROUP BY x ORDER BY n DESC, {dialect.Ordinal("x")} LIMIT {FeatureStatistics.TopCount}";
        await foreach (var value in RowsAsync(connection, sql, relation.Parameters, cancellationToken).ConfigureAwait(false))
        {
            top.Add(new TopValue((string)value[0]!, Long(value[1])));
        }

        // The database's collation may not be ordinal: ties are ordered here, as every store does.
        top = [.. top.OrderByDescending(t => t.Count).ThenBy(t => t.Value, StringComparer.Ordinal)];
        var count = Long(row[0]);
        return new FeatureStatistics
        {
            Feature = column.Feature,
            Kind = FeatureStatistics.CategoricalKind,
            Count = count,
            Nulls = count - Long(row[1]),
            Distinct = Long(row[2]),
            Top = top,
        };
    }

    private static async Task<FeatureStatistics> OtherAsync(
        DbConnection connection, StatisticsDialect dialect, StatisticsRelation relation, StatisticsColumn column, int index, CancellationToken cancellationToken)
    {
        var row = await SingleRowAsync(connection, $"SELECT count(*), count(r.{ColumnAlias(index)}) FROM ({relation.Sql}) r", relation.Parameters, cancellationToken).ConfigureAwait(false);
        var count = Long(row[0]);
        return new FeatureStatistics { Feature = column.Feature, Kind = FeatureStatistics.OtherKind, Count = count, Nulls = count - Long(row[1]) };
    }

    private static async Task<DistributionComparison> CompareNumericAsync(
        DbConnection connection, StatisticsDialect dialect, StatisticsRelation reference, StatisticsRelation current,
        StatisticsColumn column, int index, CancellationToken cancellationToken)
    {
        var refValues = $"SELECT f FROM ({Values(dialect, reference, column, index)}) t WHERE f IS NOT NULL";
        var curValues = $"SELECT f FROM ({Values(dialect, current, column, index)}) t WHERE f IS NOT NULL";
        var deciles = string.Join(", ", Enumerable.Range(1, 9).Select(d => dialect.Quantile("f", d / 10.0)));
        var row = await SingleRowAsync(connection, $"SELECT count(f), {deciles} FROM ({refValues}) t", reference.Parameters, cancellationToken).ConfigureAwait(false);
        var referenceCount = Long(row[0]);
        var edges = row.Skip(1).Select(Double).OfType<double>().Distinct().Order().ToArray();

        // Bin i: Edges[i-1] < f <= Edges[i]; the parameters carry the edges exactly. Without
        // reference values there are no edges and one bin.
        var bin = new StringBuilder(edges.Length == 0 ? "0" : "CASE");
        for (var e = 0; e < edges.Length; e++)
        {
            bin.Append($" WHEN f <= {dialect.Parameter($"edge{e}")} THEN {e}");
        }

        bin.Append(edges.Length == 0 ? string.Empty : $" ELSE {edges.Length} END");
        var edgeParameters = edges.Select((e, i) => ($"edge{i}", (object)e)).ToArray();
        var parameters = reference.Parameters.Concat(current.Parameters).Concat(edgeParameters).ToArray();
        var referenceCounts = new long[edges.Length + 1];
        var currentCounts = new long[edges.Length + 1];
        var binned = $"SELECT s, b, count(*) FROM (SELECT 0 AS s, {bin} AS b FROM ({refValues}) a UNION ALL SELECT 1 AS s, {bin} AS b FROM ({curValues}) c) u GROUP BY s, b";
        await foreach (var counted in RowsAsync(connection, binned, parameters, cancellationToken).ConfigureAwait(false))
        {
            (Long(counted[0]) == 0 ? referenceCounts : currentCounts)[(int)Long(counted[1])] += Long(counted[2]);
        }

        var currentCount = currentCounts.Sum();
        double? ks = null;
        if (referenceCount > 0 && currentCount > 0)
        {
            // The two empirical distribution functions at every distinct value, their greatest gap.
            var d = dialect.DoubleType;
            var sql = $"SELECT max(abs(CAST(ca AS {d}) / {dialect.Parameter("ks_na")} - CAST(cb AS {d}) / {dialect.Parameter("ks_nb")})) FROM (" +
                      "SELECT sum(a) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) AS ca, sum(b) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) AS cb FROM (" +
                      $"SELECT v, sum(a) AS a, sum(b) AS b FROM (SELECT f AS v, 1 AS a, 0 AS b FROM ({refValues}) ra UNION ALL SELECT f AS v, 0 AS a, 1 AS b FROM ({curValues}) rc) u GROUP BY v" +
                      ") g) w";
            var ksRow = await SingleRowAsync(
                connection, sql, [.. reference.Parameters, .. current.Parameters, ("ks_na", (double)referenceCount), ("ks_nb", (double)currentCount)], cancellationToken).ConfigureAwait(false);
            ks = Double(ksRow[0]);
        }

        return new DistributionComparison
        {
            Feature = column.Feature,
            Kind = FeatureStatistics.NumericKind,
            ReferenceCount = referenceCount,
            CurrentCount = currentCount,
            Edges = edges,
            ReferenceCounts = referenceCounts,
            CurrentCounts = currentCounts,
            KsStatistic = ks,
        };
    }

    private static async Task<DistributionComparison> CompareCategoricalAsync(
        DbConnection connection, StatisticsDialect dialect, StatisticsRelation reference, StatisticsRelation current,
        StatisticsColumn column, int index, CancellationToken cancellationToken)
    {
        var text = dialect.ToText($"r.{ColumnAlias(index)}");
        var sql = $"SELECT s, v, count(*) FROM (SELECT 0 AS s, {text} AS v FROM ({reference.Sql}) r UNION ALL SELECT 1 AS s, {text} AS v FROM ({current.Sql}) r) u " +
                  "WHERE v IS NOT NULL GROUP BY s, v";
        var counts = new SortedDictionary<string, (long Reference, long Current)>(StringComparer.Ordinal);
        await foreach (var row in RowsAsync(connection, sql, [.. reference.Parameters, .. current.Parameters], cancellationToken).ConfigureAwait(false))
        {
            var value = (string)row[1]!;
            var known = counts.GetValueOrDefault(value);
            counts[value] = Long(row[0]) == 0 ? (known.Reference + Long(row[2]), known.Current) : (known.Reference, known.Current + Long(row[2]));
        }

        return new DistributionComparison
        {
            Feature = column.Feature,
            Kind = FeatureStatistics.CategoricalKind,
            ReferenceCount = counts.Values.Sum(c => c.Reference),
            CurrentCount = counts.Values.Sum(c => c.Current),
            Categories = [.. counts.Keys],
            ReferenceCounts = [.. counts.Values.Select(c => c.Reference)],
            CurrentCounts = [.. counts.Values.Select(c => c.Current)],
        };
    }

    private static async Task<object?[]> SingleRowAsync(
        DbConnection connection, string sql, IReadOnlyList<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        await foreach (var row in RowsAsync(connection, sql, parameters, cancellationToken).ConfigureAwait(false))
        {
            return row;
        }

        throw new InvalidOperationException("an aggregate query returned no row");
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync(
        DbConnection connection, string sql, IReadOnlyList<(string Name, object Value)> parameters,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            yield return row;
        }
    }

    private static long Long(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static double? Double(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
