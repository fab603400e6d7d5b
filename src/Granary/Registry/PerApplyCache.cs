using System.Collections.Concurrent;

namespace Granary.Registry;

/// <summary>
/// Work derived from one apply's definitions (online read plans, compiled on-demand views), by
/// key. The whole set is replaced when a snapshot of another apply is asked for, so nothing
/// worked out from old definitions is used with new ones; reads in flight keep the set they got.
/// </summary>
/// <typeparam name="TKey">What the work is looked up by: a name, or the shape of a request.</typeparam>
/// <typeparam name="TValue">What is cached.</typeparam>
/// <param name="comparer">How keys compare.</param>
internal sealed class PerApplyCache<TKey, TValue>(IEqualityComparer<TKey> comparer)
    where TKey : notnull
{
    private Generation _current = new(null, new(comparer));

    /// <summary>The values of <paramref name="snapshot"/>'s apply: those cached so far, or a new empty set.</summary>
    public ConcurrentDictionary<TKey, TValue> Of(RegistrySnapshot snapshot)
    {
        var current = Volatile.Read(ref _current);
        var apply = ApplyId.Of(snapshot);
        if (current.Apply != apply)
        {
            current = new Generation(apply, new(comparer));
            Volatile.Write(ref _current, current);
        }

        return current.Values;
    }

    private sealed class Generation(ApplyId? apply, ConcurrentDictionary<TKey, TValue> values)
    {
        public ApplyId? Apply { get; } = apply;

        public ConcurrentDictionary<TKey, TValue> Values { get; } = values;
    }
}
