using Granary.Online;

namespace Granary.ExampleBackend.Tests.Backend;

public sealed partial class MemoryOnlineStore
{
    /// <inheritdoc/>
    public override Task<IReadOnlyList<byte[]?>> ReadAggregationStatesAsync(
        string project, string view, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(keys);
        _database.EnsureRunning(What);
        return Task.FromResult<IReadOnlyList<byte[]?>>(
            keys.Select(k => _database.AggregationStates.TryGetValue((project, view, k), out var state) ? state : null).ToArray());
    }

    /// <inheritdoc/>
    /// <remarks>Under the database's one gate: no other update of any state runs in between.</remarks>
    public override Task UpdateAggregationStatesAsync(
        string project, string view, IReadOnlyList<AggregationStateUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(updates);
        _database.EnsureRunning(What);
        lock (_database.AggregationGate)
        {
            foreach (var update in updates)
            {
                var key = (project, view, update.Key);
                if (update.Apply(_database.AggregationStates.TryGetValue(key, out var current) ? current : null) is { } next)
                {
                    _database.AggregationStates[key] = next;
                }
                else
                {
                    _database.AggregationStates.TryRemove(key, out _);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task DeleteAggregationStatesAsync(string project, string view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        _database.EnsureRunning(What);
        foreach (var key in _database.AggregationStates.Keys.Where(k => k.Project == project && k.View == view))
        {
            _database.AggregationStates.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }
}
