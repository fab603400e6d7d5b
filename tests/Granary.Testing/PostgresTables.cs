using Granary.Conformance;
using Granary.Definitions;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Testing;

/// <summary>Creates test tables directly with Npgsql (not through the store under test): quoted names, values as parameters.</summary>
public static class PostgresTables
{
    /// <summary>A PostgreSQL identifier in double quotes, inner quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Creates <paramref name="table"/> with the columns of <paramref name="rows"/> and inserts its rows.</summary>
    public static async Task CreateAsync(string connectionString, string table, TestTable rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = string.Join(", ", rows.Columns.Select(c => $"{Quote(c.Name)} {SqlType(c.Type)}"));
        await using (var create = new NpgsqlCommand($"CREATE TABLE {Quote(table)} ({columns})", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var placeholders = string.Join(", ", rows.Columns.Select((_, i) => $"${i + 1}"));
        foreach (var row in rows.Rows)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO {Quote(table)} VALUES ({placeholders})", connection);
            for (var i = 0; i < row.Length; i++)
            {
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = DbType(rows.Columns[i].Type), Value = row[i] switch
                {
                    null => DBNull.Value,
                    DateTimeOffset t => t.UtcDateTime,
                    var v => v,
                } });
            }

            await insert.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The PostgreSQL column type of a Granary type.</summary>
    public static string SqlType(DataType type) => type.Scalar switch
    {
        ScalarType.Int32 => "integer",
        ScalarType.Int64 => "bigint",
        ScalarType.Float32 => "real",
        ScalarType.Float64 => "double precision",
        ScalarType.String => "text",
        ScalarType.Bytes => "bytea",
        ScalarType.Bool => "boolean",
        ScalarType.UnixTimestamp => "timestamptz",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    } + (type.IsList ? "[]" : string.Empty);

    private static NpgsqlDbType DbType(DataType type)
    {
        var scalar = type.Scalar switch
        {
            ScalarType.Int32 => NpgsqlDbType.Integer,
            ScalarType.Int64 => NpgsqlDbType.Bigint,
            ScalarType.Float32 => NpgsqlDbType.Real,
            ScalarType.Float64 => NpgsqlDbType.Double,
            ScalarType.String => NpgsqlDbType.Text,
            ScalarType.Bytes => NpgsqlDbType.Bytea,
            ScalarType.Bool => NpgsqlDbType.Boolean,
            ScalarType.UnixTimestamp => NpgsqlDbType.TimestampTz,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return type.IsList ? scalar | NpgsqlDbType.Array : scalar;
    }
}
