using System.Globalization;
using Granary.Definitions;
using Granary.Statistics;

namespace Granary.DuckDb;

/// <summary>DuckDB's SQL for <see cref="SqlStatistics"/>: <c>quantile_cont</c>, <c>epoch</c>, <c>isfinite</c>, <c>$name</c> parameters.</summary>
internal sealed class DuckDbStatisticsDialect : StatisticsDialect
{
    public static DuckDbStatisticsDialect Instance { get; } = new();

    public override string DoubleType => "DOUBLE";

    public override string TimestampType => "TIMESTAMPTZ";

    public override string Id(string name) => DuckDbSql.Id(name);

    public override string Parameter(string name) => "$" + name;

    public override string Quantile(string expression, double p) =>
        $"quantile_cont({expression}, {p.ToString("R", CultureInfo.InvariantCulture)})";

    public override string ToDouble(string expression, DataType type) => type.Scalar == ScalarType.UnixTimestamp
        ? $"epoch(CAST({expression} AS TIMESTAMPTZ))"
        : $"CAST({expression} AS DOUBLE)";

    public override string IsFinite(string expression) => $"isfinite({expression})";

    public override string ToText(string expression) => $"CAST({expression} AS VARCHAR)";
}
