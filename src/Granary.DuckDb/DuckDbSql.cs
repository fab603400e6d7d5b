using Granary.Definitions;

namespace Granary.DuckDb;

/// <summary>Quoting and type names for SQL sent to DuckDB: identifiers are quoted, literals escaped.</summary>
internal static class DuckDbSql
{
    public static string Id(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>An instant as a TIMESTAMPTZ literal, to the microsecond (as DuckDB keeps times), for SQL that takes no parameters (a view).</summary>
    public static string TimestampLiteral(DateTimeOffset time) =>
        $"CAST('{time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture)}+00' AS TIMESTAMPTZ)";

    public static string TypeOf(DataType type)
    {
        var scalar = type.Scalar switch
        {
            ScalarType.Int32 => "INTEGER",
            ScalarType.Int64 => "BIGINT",
            ScalarType.Float32 => "FLOAT",
            ScalarType.Float64 => "DOUBLE",
            ScalarType.String => "VARCHAR",
            ScalarType.Bytes => "BLOB",
            ScalarType.Bool => "BOOLEAN",
            ScalarType.UnixTimestamp => "TIMESTAMPTZ",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown type"),
        };
        return type.IsList ? scalar + "[]" : scalar;
    }

    /// <summary>The Granary type of a DuckDB column type, or null when there is none.</summary>
    public static DataType? ToDataType(string duckType, out bool isTimestamp)
    {
        isTimestamp = false;
        var upper = duckType.Trim().ToUpperInvariant();
        if (upper.EndsWith("[]", StringComparison.Ordinal))
        {
            return ToDataType(upper[..^2], out _) is { IsList: false } element ? element with { IsList = true } : null;
        }

        if (upper.StartsWith("DECIMAL", StringComparison.Ordinal) || upper.StartsWith("NUMERIC", StringComparison.Ordinal))
        {
            return DataType.Float64;
        }

        if (upper.StartsWith("TIMESTAMP", StringComparison.Ordinal) || upper == "DATE")
        {
            isTimestamp = true;
            return new DataType(ScalarType.UnixTimestamp);
        }

        return upper switch
        {
            "BIGINT" or "UBIGINT" or "UINTEGER" or "HUGEINT" => DataType.Int64,
            "INTEGER" or "SMALLINT" or "TINYINT" or "USMALLINT" or "UTINYINT" => new DataType(ScalarType.Int32),
            "DOUBLE" => DataType.Float64,
            "FLOAT" or "REAL" => new DataType(ScalarType.Float32),
            "VARCHAR" => DataType.String,
            "BLOB" => new DataType(ScalarType.Bytes),
            "BOOLEAN" => new DataType(ScalarType.Bool),
            _ => null,
        };
    }
}
