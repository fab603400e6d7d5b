namespace Granary.Online;

/// <summary>
/// A read-modify-write of one entity's aggregation state that the online store makes atomic: the
/// store reads the stored bytes, hands them to <see cref="Apply"/> and stores what it returns, with
/// no other writer's change of that entity's state in between.
/// </summary>
/// <remarks>
/// The bytes are the core's (<c>Granary.Aggregations</c>); a store never looks inside them. A store
/// with optimistic concurrency (Redis) calls <see cref="Apply"/> again with the newer bytes when
/// another writer got there first, so the function must depend on its argument alone.
/// </remarks>
/// <param name="key">The entity.</param>
/// <param name="apply">Computes the new bytes from the stored ones (null when there are none); returning null deletes the state.</param>
public sealed class AggregationStateUpdate(EntityKey key, Func<byte[]?, byte[]?> apply)
{
    /// <summary>The entity whose state changes.</summary>
    public EntityKey Key { get; } = key ?? throw new ArgumentNullException(nameof(key));

    /// <summary>The new bytes for the stored ones (null when there are none); null deletes the state.</summary>
    public byte[]? Apply(byte[]? current) => apply(current);
}
