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
    public static Task<long> WriteAsync(
        string path, IReadOnlyList<string> columnNames, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(batches);
        return ResultFile.WriteAsync(path, async (temp, isCsv, token) =>
        {
            long rows = 0;
            async IAsyncEnumerable<RecordBatch> Counted()
            {
                await foreach (var batch in batches.ConfigureAwait(false))
                {
                    rows += batch.Length;
                    yield return batch;
                }
            }

            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                if (isCsv)
                {
                    await CsvBatchWriter.WriteAsync(file, columnNames, Counted(), token).ConfigureAwait(false);
                }
                else
                {
                    await ParquetBatchWriter.WriteAsync(file, columnNames, Counted(), token).ConfigureAwait(false);
                }
            }

            return rows;
        }, cancellationToken);
    }
}
