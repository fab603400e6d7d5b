using Apache.Arrow;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using Granary.Definitions;
using Granary.Offline;
using Granary.Repo;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

public sealed partial class DuckDbOfflineStore
{
    /// <summary>
    /// Appends rows to a file source. A glob path (<c>data/stats/*.parquet</c>) gets a new part file
    /// matching the glob; a single file is rewritten with the rows added. Either way the change
    /// appears whole: files are written beside their target and renamed.
    /// </summary>
    public override async Task WriteAsync(DataSource source, RecordBatch rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rows);
        if (source is not FileSource file)
        {
            throw new GranaryException($"source '{source.Name}' is a {source.Kind}; the DuckDB offline store writes file sources only");
        }

        var what = $"file_source '{file.Name}' path";
        var target = RepoPaths.Resolve(_options.RepoPath, file.Path, what);
        var format = Path.GetExtension(target).ToUpperInvariant() switch
        {
            ".PARQUET" => "FORMAT parquet",
            ".CSV" => "FORMAT csv, HEADER true",
            _ => throw new GranaryException($"{what}: '{file.Path}' must end in .parquet or .csv"),
        };
        var isGlob = file.Path.IndexOfAny(['*', '?', '[']) >= 0;
        if (isGlob)
        {
            var name = Path.GetFileName(target);
            if (Path.GetDirectoryName(target)!.IndexOfAny(['*', '?', '[']) >= 0 || !name.Contains('*', StringComparison.Ordinal))
            {
                throw new GranaryException($"{what}: cannot append to '{file.Path}'; a writable glob has its '*' in the file name only, such as data/stats/*.parquet");
            }

            target = Path.Combine(Path.GetDirectoryName(target)!, name.Replace("*", $"part-{Guid.NewGuid():N}", StringComparison.Ordinal));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        // Appending to one file rewrites it: another process doing the same at once would lose
        // one side's rows. A new part file of a glob needs no lock.
        await using var appendLock = isGlob
            ? null
            : await FileLock.AcquireAsync(target + ".lock", $"file_source '{file.Name}'", FileLock.DefaultTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var columns = rows.Schema.FieldsList.Select(f => (Source: source.SourceColumn(f.Name), Type: SqlType(f.DataType))).ToArray();
        await ExecuteAsync(connection, $"CREATE TEMP TABLE pushed ({string.Join(", ", columns.Select(c => $"{Id(c.Source)} {c.Type}"))})", cancellationToken).ConfigureAwait(false);
        Append(connection, "pushed", rows);
        var select = !isGlob && File.Exists(target)
            ? $"SELECT * FROM {Relation(source)} UNION ALL BY NAME SELECT * FROM pushed"
            : "SELECT * FROM pushed";
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await ExecuteAsync(connection, $"COPY ({select}) TO {Literal(temp)} ({format})", cancellationToken).ConfigureAwait(false);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Appends a batch to a table whose columns have the batch's types, in order.</summary>
    private static void Append(DuckDBConnection connection, string table, RecordBatch rows)
    {
        using var appender = connection.CreateAppender(table);
        for (var row = 0; row < rows.Length; row++)
        {
            var appended = appender.CreateRow();
            for (var column = 0; column < rows.ColumnCount; column++)
            {
                appended = ArrowBatches.GetValue(rows.Column(column), row) switch
                {
                    null => appended.AppendNullValue(),
                    long v => appended.AppendValue(v),
                    int v => appended.AppendValue(v),
                    double v => appended.AppendValue(v),
                    float v => appended.AppendValue(v),
                    bool v => appended.AppendValue(v),
                    string v => appended.AppendValue(v),
                    byte[] v => appended.AppendValue(v),
                    DateTimeOffset v => appended.AppendValue(v.UtcDateTime),
                    long[] v => appended.AppendValue(v),
                    int[] v => appended.AppendValue(v),
                    double[] v => appended.AppendValue(v),
                    float[] v => appended.AppendValue(v),
                    bool[] v => appended.AppendValue(v),
                    string[] v => appended.AppendValue(v),
                    var other => throw new GranaryException($"column '{rows.Schema.GetFieldByIndex(column).Name}': values of type {other.GetType().Name} cannot be written"),
                };
            }

            appended.EndRow();
        }
    }

    private static string SqlType(IArrowType type) => type switch
    {
        Int64Type => "BIGINT",
        Int32Type or Int16Type or Int8Type => "INTEGER",
        DoubleType => "DOUBLE",
        FloatType => "FLOAT",
        BooleanType => "BOOLEAN",
        StringType => "VARCHAR",
        BinaryType => "BLOB",
        TimestampType or Date32Type => "TIMESTAMPTZ",
        ListType list => SqlType(list.ValueDataType) + "[]",
        _ => throw new GranaryException($"Arrow type {type.Name} cannot be written to a file source"),
    };
}
