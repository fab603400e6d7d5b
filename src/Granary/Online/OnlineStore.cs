using Granary.Definitions;

namespace Granary.Online;

/// <summary>
/// The contract of an online store: the latest feature values per entity key, written by
/// materialization and pushes and read at serving time. Writes are monotonic in event time: a row
/// never replaces a stored row whose event timestamp is newer. Aggregation views keep opaque state
/// bytes per entity instead (see OnlineStore.Aggregations.cs).
/// </summary>
public abstract partial class OnlineStore : IAsyncDisposable
{
    /// <summary>
    /// Creates or updates storage for the applied views and removes that of deleted views. A kept
    /// view whose features changed (<see cref="OnlineSchema.Entries"/>, from which every store
    /// computes its schema fingerprint) must never have its old rows read as new ones; emptying a
    /// view whose key or source changed is the apply planner's part, through <paramref name="delete"/>.
    /// </summary>
    public abstract Task UpdateAsync(
        string project, IReadOnlyList<FeatureView> keep, IReadOnlyList<FeatureView> delete, CancellationToken cancellationToken = default);

    /// <summary>Writes rows of one view; values align with the view's schema.</summary>
    public abstract Task WriteBatchAsync(
        string project, FeatureView view, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the given features of each view for each key. The result has one entry per view, in
    /// request order, each with one <see cref="OnlineRead"/> (null when not found) per key.
    /// </summary>
    public abstract Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadAsync(
        string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Removes every row and table of the project, aggregation states included.</summary>
    public abstract Task TeardownAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>Checks that the store can be reached; throws when it cannot.</summary>
    public virtual Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
