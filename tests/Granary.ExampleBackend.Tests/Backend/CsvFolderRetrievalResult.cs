using System.Runtime.CompilerServices;
using Apache.Arrow;
using Granary.Offline;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>Training data joined a batch of entity rows at a time as it is read; owns the entity file it reads.</summary>
internal sealed class CsvFolderRetrievalResult(
    IReadOnlyList<string> columnNames, IAsyncEnumerable<RecordBatch> entityBatches, Func<RecordBatch, RecordBatch> join, IAsyncDisposable? entityFile)
    : RetrievalResult
{
    public override IReadOnlyList<string> ColumnNames { get; } = columnNames;

    public override async IAsyncEnumerable<RecordBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in entityBatches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return join(batch);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (entityFile is not null)
        {
            await entityFile.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
