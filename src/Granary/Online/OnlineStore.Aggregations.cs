namespace Granary.Online;

public abstract partial class OnlineStore
{
    /// <summary>
    /// Reads the aggregation state of each key of aggregation view <paramref name="view"/>: one
    /// entry per key, in order, null where none is stored. A view or project never written reads
    /// as all null.
    /// </summary>
    public abstract Task<IReadOnlyList<byte[]?>> ReadAggregationStatesAsync(
        string project, string view, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies each update to the state of its key, each atomically: no concurrent update of the
    /// same key, from this process or another, is lost or interleaved. Keys are distinct within a
    /// call. Updates of different keys need not be atomic together: when the call fails, some may
    /// have been applied and others not.
    /// </summary>
    public abstract Task UpdateAggregationStatesAsync(
        string project, string view, IReadOnlyList<AggregationStateUpdate> updates, CancellationToken cancellationToken = default);

    /// <summary>Removes every state of aggregation view <paramref name="view"/> of the project (the view was deleted or changed).</summary>
    public abstract Task DeleteAggregationStatesAsync(string project, string view, CancellationToken cancellationToken = default);
}
