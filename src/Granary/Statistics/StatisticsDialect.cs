using Granary.Definitions;

namespace Granary.Statistics;

/// <summary>
/// What differs between SQL databases in the statistics queries of <see cref="SqlStatistics"/>:
/// quoting, the exact quantile function, casts and parameter markers. An offline store on a SQL
/// database supplies one, as a SQL registry's database supplies a <see cref="Registry.SqlRegistryDialect"/>.
/// </summary>
public abstract class StatisticsDialect
{
    /// <summary>A quoted identifier.</summary>
    public abstract string Id(string name);

    /// <summary>The marker of the named parameter <paramref name="name"/> in SQL text (<c>$name</c>, <c>@name</c>).</summary>
    public abstract string Parameter(string name);

    /// <summary>
    /// The exact quantile <paramref name="p"/> of <paramref name="expression"/> over a group, interpolated
    /// linearly between order statistics (DuckDB's <c>quantile_cont</c>, PostgreSQL's <c>percentile_cont</c>).
    /// </summary>
    public abstract string Quantile(string expression, double p);

    /// <summary>A double-precision number from a column of <paramref name="type"/> (numbers cast, times as seconds since the Unix epoch).</summary>
    public abstract string ToDouble(string expression, DataType type);

    /// <summary>A condition true when a double is neither NaN nor infinite.</summary>
    public abstract string IsFinite(string expression);

    /// <summary>A string or boolean as text (<c>true</c> / <c>false</c> for booleans).</summary>
    public abstract string ToText(string expression);

    /// <summary>An ORDER BY term that sorts text by code point, whatever the database's collation; the expression itself by default.</summary>
    public virtual string Ordinal(string expression) => expression;

    /// <summary>The double-precision type's name in a CAST.</summary>
    public abstract string DoubleType { get; }

    /// <summary>The name of the timestamp-with-time-zone type in a CAST.</summary>
    public abstract string TimestampType { get; }
}
