using System.Collections.Concurrent;

namespace Granary.Registry;

/// <summary>
/// Work derived from one apply's definitions (online read plans, compiled on-demand views), by
/// name. The whole set is replaced when a snapshot of another apply is asked for, so nothing
/// worked out from old definitions is used with new ones; reads in flight keep the set they got.
/// </summary>
/// <typeparam name="TValue">What is cached.</typeparam>
internal sealed class PerApplyCache<TValue>
{
    private Generation _current = new(null, new(StringComparer.Ordinal));

    /// <summary>The values of <paramref name="snapshot"/>'s apply: those cached so far, or a new empty set.</summary>
    public ConcurrentDictionary<string, TValue> Of(RegistrySnapshot snapshot)
    {
        var current = Volatile.Read(ref _current);
        var apply = ApplyId.Of(snapshot);
        if (current.Apply != apply)
        {
            current = new Generation(apply, new(StringComparer.Ordinal));
            Volatile.Write(ref _current, current);
        }

        return current.Values;
    }

    private sealed class Generation(ApplyId? apply, ConcurrentDictionary<string, TValue> values)
    {
        public ApplyId? Apply { get; } = apply;

        public ConcurrentDictionary<string, TValue> Values { get; } = values;
    }
}
