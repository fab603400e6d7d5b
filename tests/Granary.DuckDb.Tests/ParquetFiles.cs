using DuckDB.NET.Data;
using Granary.Conformance;
using Granary.Definitions;

namespace Granary.DuckDb.Tests;

/// <summary>Writes test tables to Parquet with DuckDB directly (not through the store under test).</summary>
public static class ParquetFiles
{
    public static void Write(string path, TestTable table)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\" {SqlType(c.Type)}"));
            setup.CommandText = $"SET TimeZone = 'UTC'; CREATE TABLE t ({columns});";
            setup.ExecuteNonQuery();
        }

        foreach (var row in table.Rows)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO t VALUES ({string.Join(", ", row.Select((_, i) => $"${i + 1}"))})";
            foreach (var value in row)
            {
                insert.Parameters.Add(new DuckDBParameter(value switch
                {
                    DateTimeOffset t => t.UtcDateTime,
                    null => DBNull.Value,
                    _ => value,
                }));
            }

            insert.ExecuteNonQuery();
        }

        using var copy = connection.CreateCommand();
        copy.CommandText = $"COPY t TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        copy.ExecuteNonQuery();
    }

    private static string SqlType(DataType type) => type.Scalar switch
    {
        ScalarType.Int32 => "INTEGER",
        ScalarType.Int64 => "BIGINT",
        ScalarType.Float32 => "FLOAT",
        ScalarType.Float64 => "DOUBLE",
        ScalarType.String => "VARCHAR",
        ScalarType.Bytes => "BLOB",
        ScalarType.Bool => "BOOLEAN",
        ScalarType.UnixTimestamp => "TIMESTAMPTZ",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    } + (type.IsList ? "[]" : string.Empty);

    /// <summary>Writes <paramref name="table"/> to <paramref name="name"/>.parquet in <paramref name="folder"/> and returns a file source over it.</summary>
    public static Task<DataSource> SourceAsync(
        string folder, string name, TestTable table, string? timestampField = null, string? createdColumn = null, IReadOnlyDictionary<string, string>? fieldMapping = null)
    {
        var file = $"{name}.parquet";
        Write(Path.Combine(folder, file), table);
        var source = new FileSource
        {
            Name = name,
            Path = file,
            CreatedTimestampColumn = createdColumn,
            FieldMapping = fieldMapping ?? new Dictionary<string, string>(),
        };
        return Task.FromResult<DataSource>(timestampField is null ? source : source with { TimestampField = timestampField });
    }
}
