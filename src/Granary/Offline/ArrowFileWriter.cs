using Apache.Arrow;

namespace Granary.Offline;

/// <summary>
/// Writes Arrow batches to a Parquet or CSV file chosen by extension, a batch at a time, through
/// <see cref="ResultFile"/>: the file appears whole or not at all.
/// </summary>
public static class ArrowFileWriter
{
    /// <summary>Writes <paramref name="batches"/> to <paramref name="path"/> (.parquet or .csv); returns the number of rows.</summary>
    /// <exception cref="GranaryException">The path breaks a check of <see cref="ResultFile.Check"/>, or the file could not be written.</exception>
    public static Task<long> WriteAsync(
        string path, IReadOnlyList<string> columnNames, IAsyncEnumerable<RecordBatch> batches, ResultFileOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(batches);
        return ResultFile.WriteAsync(
            path, options ?? ResultFileOptions.Default, (temp, format, token) => WriteNewFileAsync(temp, format, columnNames, batches, token), cancellationToken);
    }

    /// <summary>Writes the batches to a new file at <paramref name="path"/> in <paramref name="format"/>; returns the number of rows.</summary>
    internal static async Task<long> WriteNewFileAsync(
        string path, ResultFileFormat format, IReadOnlyList<string> columnNames, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken)
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

        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            if (format == ResultFileFormat.Csv)
            {
                await CsvBatchWriter.WriteAsync(file, columnNames, Counted(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ParquetBatchWriter.WriteAsync(file, columnNames, Counted(), cancellationToken).ConfigureAwait(false);
            }
        }

        return rows;
    }
}
