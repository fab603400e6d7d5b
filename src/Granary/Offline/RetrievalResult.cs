using Apache.Arrow;

namespace Granary.Offline;

/// <summary>
/// Training data being produced: read it as Arrow record batches, or write it to a file. The
/// result streams; nothing is held whole in memory. Read or write once.
/// </summary>
public abstract class RetrievalResult : IAsyncDisposable
{
    /// <summary>The output column names, in order: the entity rows' columns, then the features.</summary>
    public abstract IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Streams the rows as record batches, in entity-row order.</summary>
    public abstract IAsyncEnumerable<RecordBatch> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the rows to a Parquet (<c>.parquet</c>) or CSV (<c>.csv</c>) file, replacing an existing
    /// one (see <see cref="WriteAsync(string, ResultFileOptions, CancellationToken)"/>). Returns the number of rows.
    /// </summary>
    public Task<long> WriteAsync(string path, CancellationToken cancellationToken = default) =>
        WriteAsync(path, ResultFileOptions.Default, cancellationToken);

    /// <summary>
    /// Writes the rows to a Parquet (<c>.parquet</c>) or CSV (<c>.csv</c>) file through
    /// <see cref="ResultFile"/>: the file appears whole or not at all, and replaces only what
    /// <paramref name="options"/> allow. Returns the number of rows.
    /// </summary>
    /// <exception cref="GranaryException">The path breaks a check of <see cref="ResultFile.Check"/>, or the file could not be written.</exception>
    public Task<long> WriteAsync(string path, ResultFileOptions options, CancellationToken cancellationToken = default) =>
        ResultFile.WriteAsync(path, options, WriteNewFileAsync, cancellationToken);

    /// <summary>
    /// Writes the rows to the new file <paramref name="path"/> (a temp file of <see cref="ResultFile"/>)
    /// in <paramref name="format"/> and returns the number of rows. By default the batches of
    /// <see cref="ReadAsync"/> are written a batch at a time; a store may write the file itself.
    /// </summary>
    protected virtual Task<long> WriteNewFileAsync(string path, ResultFileFormat format, CancellationToken cancellationToken) =>
        ArrowFileWriter.WriteNewFileAsync(path, format, ColumnNames, ReadAsync(cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
