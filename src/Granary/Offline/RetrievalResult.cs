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
    /// Writes the rows to a Parquet (<c>.parquet</c>) or CSV (<c>.csv</c>) file. The file appears
    /// whole or not at all: it is written beside the target and renamed. Returns the number of rows.
    /// By default the batches of <see cref="ReadAsync"/> are written a batch at a time; a store may
    /// write the file itself.
    /// </summary>
    public virtual Task<long> WriteAsync(string path, CancellationToken cancellationToken = default) =>
        ArrowFileWriter.WriteAsync(path, ColumnNames, ReadAsync(cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
