using Granary.Definitions;
using Npgsql.PostgresTypes;

namespace Granary.Postgres;

/// <summary>
/// Quoting and type names for SQL sent to PostgreSQL. Every identifier goes through <see cref="Id"/>;
/// values never enter SQL text, they are parameters.
/// </summary>
internal static class PostgresSql
{
    /// <summary>A quoted identifier: any name, including quotes, semicolons and spaces, is taken literally.</summary>
    public static string Id(string identifier)
    {
        if (identifier.Contains('\0', StringComparison.Ordinal))
        {
            throw new GranaryException($"the name '{identifier.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character, which PostgreSQL does not allow");
        }

        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A table name written as <c>table</c> or <c>schema.table</c> (split at the first dot), quoted.</summary>
    public static string Table(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < name.Length - 1 ? $"{Id(name[..dot])}.{Id(name[(dot + 1)..])}" : Id(name);
    }

    /// <summary>The PostgreSQL type a Granary type is stored and cast as.</summary>
    public static string TypeOf(DataType type)
    {
        var scalar = type.Scalar switch
        {
            ScalarType.Int32 => "integer",
            ScalarType.Int64 => "bigint",
            ScalarType.Float32 => "real",
            ScalarType.Float64 => "double precision",
            ScalarType.String => "text",
            ScalarType.Bytes => "bytea",
            ScalarType.Bool => "boolean",
            ScalarType.UnixTimestamp => "timestamptz",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown type"),
        };
        return type.IsList ? scalar + "[]" : scalar;
    }

    /// <summary>The Granary type of a PostgreSQL column type, or null when there is none.</summary>
    public static DataType? ToDataType(PostgresType type, out bool isTimestamp)
    {
        isTimestamp = false;
        while (type is PostgresDomainType domain)
        {
            type = domain.BaseType;
        }

        if (type is PostgresArrayType array)
        {
            return ToDataType(array.Element, out _) is { IsList: false } element ? element with { IsList = true } : null;
        }

        switch (type.InternalName)
        {
            case "timestamp" or "timestamptz" or "date":
                isTimestamp = true;
                return new DataType(ScalarType.UnixTimestamp);
            case "int2" or "int4":
                return new DataType(ScalarType.Int32);
            case "int8":
                return DataType.Int64;
            case "float4":
                return new DataType(ScalarType.Float32);
            case "float8" or "numeric":
                return DataType.Float64;
            case "text" or "varchar" or "bpchar" or "name" or "citext":
                return DataType.String;
            case "bytea":
                return new DataType(ScalarType.Bytes);
            case "bool":
                return new DataType(ScalarType.Bool);
            default:
                return null;
        }
    }
}
