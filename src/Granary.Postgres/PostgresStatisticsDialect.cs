using System.Globalization;
using Granary.Definitions;
using Granary.Statistics;

namespace Granary.Postgres;

/// <summary>PostgreSQL's SQL for <see cref="SqlStatistics"/>: <c>percentile_cont</c>, <c>EXTRACT(EPOCH ...)</c>, <c>@name</c> parameters.</summary>
internal sealed class PostgresStatisticsDialect : StatisticsDialect
{
    public static PostgresStatisticsDialect Instance { get; } = new();

    public override string DoubleType => "double precision";

    public override string TimestampType => "timestamptz";

    public override string Id(string name) => PostgresSql.Id(name);

    public override string Parameter(string name) => "@" + name;

    public override string Quantile(string expression, double p) =>
        $"percentile_cont({p.ToString("R", CultureInfo.InvariantCulture)}) WITHIN GROUP (ORDER BY {expression})";

    public override string ToDouble(string expression, DataType type) => type.Scalar == ScalarType.UnixTimestamp
        ? $"CAST(EXTRACT(EPOCH FROM CAST({expression} AS timestamptz)) AS double precision)"
        : $"CAST({expression} AS double precision)";

    // PostgreSQL's NaN equals itself, so NOT IN finds it.
    public override string IsFinite(string expression) =>
        $"({expression}) NOT IN (CAST('NaN' AS double precision), CAST('Infinity' AS double precision), CAST('-Infinity' AS double precision))";

    public override string ToText(string expression) => $"CAST({expression} AS text)";

    public override string Ordinal(string expression) => $"{expression} COLLATE \"C\"";
}
