using Apache.Arrow;

namespace Granary.Offline;

/// <summary>
/// Writes Arrow batches to a Parquet or CSV file chosen by extension, a batch at a time. The file
/// appears whole or not at all: it is written beside the target and renamed.
/// </summary>
public static class ArrowFileWriter
{
    /// <summary>Writes <paramref name="batches"/> to <paramref name="path"/> (.parquet or .csv); returns the number of rows.</summary>
    /// <exception cref="GranaryException">The extension is not .parquet or .csv, or the folder does not exist.</exception>
    public static async Task<long> WriteAsync(
        string path, IReadOnlyList<string> columnNames, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(batches);
        var full = Path.GetFullPath(path);
        var extension = Path.GetExtension(full).ToUpperInvariant();
        if (extension is not (".PARQUET" or ".CSV"))
        {
            throw new GranaryException($"output '{path}' must end in .parquet or .csv");
        }

        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new GranaryException($"output folder '{directory}' does not exist");
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        long rows = 0;
        async IAsyncEnumerable<RecordBatch> Counted()
        {
            await foreach (var batch in batches.ConfigureAwait(false))
            {
                rows += batch.Length;
                yield return batch;
            }
        }

        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                if (extension == ".CSV")
                {
                    await CsvBatchWriter.WriteAsync(file, columnNames, Counted(), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ParquetBatchWriter.WriteAsync(file, columnNames, Counted(), cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(temp, full, overwrite: true);
            return rows;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
