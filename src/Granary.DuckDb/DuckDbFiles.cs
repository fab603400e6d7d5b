using System.Runtime.CompilerServices;
using Apache.Arrow;
using DuckDB.NET.Data;
using Granary.Offline;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

/// <summary>Reads a Parquet or CSV file as Arrow record batches, streaming, with DuckDB's type detection.</summary>
public static class DuckDbFiles
{
    /// <summary>Streams the rows of <paramref name="path"/> (.parquet or .csv).</summary>
    public static async IAsyncEnumerable<RecordBatch> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new GranaryException($"file '{path}' does not exist");
        }

        var relation = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".PARQUET" => $"read_parquet({Literal(path)})",
            ".CSV" => $"read_csv({Literal(path)}, header = true, auto_detect = true)",
            _ => throw new GranaryException($"file '{path}' must end in .parquet or .csv"),
        };
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; SELECT * FROM {relation}";
        command.UseStreamingMode = true;
        await using var reader = await DuckDbOfflineStore.ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in ArrowBatches.ReadAsync(reader, ArrowBatches.DefaultBatchSize, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }
}
