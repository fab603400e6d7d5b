using System.Buffers;
using Granary.Definitions;
using Granary.Online;
using Granary.Repo;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>
/// The example online store: rows in a <see cref="MemoryDatabase"/> of this process, one table per
/// view and schema fingerprint, values encoded by the core's <see cref="FeatureValueCodec"/> as the
/// SQL stores keep them. Writes are monotonic in event time, per entity.
/// </summary>
public sealed partial class MemoryOnlineStore : OnlineStore
{
    private const string What = "online store";
    private readonly MemoryDatabase _database;

    /// <summary>Creates the store on the database its options name, starting that database if it is not running.</summary>
    /// <exception cref="GranaryException">The options are invalid.</exception>
    public MemoryOnlineStore(MemoryOnlineStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ConfigBinder.Validate(options, "online_store (memory)");
        _database = MemoryDatabase.Open(options.Database);
    }

    /// <inheritdoc/>
    public override Task UpdateAsync(
        string project, IReadOnlyList<FeatureView> keep, IReadOnlyList<FeatureView> delete, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentNullException.ThrowIfNull(delete);
        _database.EnsureRunning(What);
        foreach (var view in keep)
        {
            TableOf(project, view);
        }

        foreach (var view in delete)
        {
            _database.OnlineTables.TryRemove((project, view.Name), out _);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task WriteBatchAsync(
        string project, FeatureView view, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(rows);
        _database.EnsureRunning(What);
        var table = TableOf(project, view);
        var encoded = new ArrayBufferWriter<byte>(256);
        var scratch = new ArrayBufferWriter<byte>(64);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            encoded.ResetWrittenCount();
            FeatureValueCodec.EncodeRow(encoded, view.Schema, row.Values, scratch);
            var stored = new StoredRow(row.EventTimestamp, encoded.WrittenSpan.ToArray());

            // An equal event time overwrites (a re-run of the same interval); an older one never does.
            table.Rows.AddOrUpdate(row.Key, stored, (_, old) => stored.EventTime >= old.EventTime ? stored : old);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadAsync(
        string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(keys);
        _database.EnsureRunning(What);
        var result = new IReadOnlyList<OnlineRead?>[views.Count];
        for (var v = 0; v < views.Count; v++)
        {
            var read = views[v];
            var reads = new OnlineRead?[keys.Count];
            if (_database.OnlineTables.TryGetValue((project, read.View.Name), out var table) && table.Fingerprint == MemoryViewTable.FingerprintOf(read.View))
            {
                var positions = read.Features.Select(f => IndexOf(read.View, f)).ToArray();
                var ranges = new Range[read.View.Schema.Count];
                for (var k = 0; k < keys.Count; k++)
                {
                    if (table.Rows.TryGetValue(keys[k], out var stored))
                    {
                        FeatureValueCodec.SplitRow(stored.Values, ranges);
                        var values = positions.Select(p => FeatureValueCodec.Decode(read.View.Schema[p].Dtype, stored.Values.AsSpan(ranges[p]))).ToArray();
                        reads[k] = new OnlineRead(stored.EventTime, values);
                    }
                }
            }

            result[v] = reads;
        }

        return Task.FromResult<IReadOnlyList<IReadOnlyList<OnlineRead?>>>(result);
    }

    /// <inheritdoc/>
    public override Task TeardownAsync(string project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        _database.EnsureRunning(What);
        foreach (var key in _database.OnlineTables.Keys.Where(k => k.Project == project))
        {
            _database.OnlineTables.TryRemove(key, out _);
        }

        foreach (var key in _database.AggregationStates.Keys.Where(k => k.Project == project))
        {
            _database.AggregationStates.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task PingAsync(CancellationToken cancellationToken = default)
    {
        _database.EnsureRunning(What);
        return Task.CompletedTask;
    }

    /// <summary>The view's table for its current features: a table of other features is replaced, never decoded as this one.</summary>
    private MemoryViewTable TableOf(string project, FeatureView view)
    {
        var fingerprint = MemoryViewTable.FingerprintOf(view);
        return _database.OnlineTables.AddOrUpdate(
            (project, view.Name),
            _ => new MemoryViewTable(fingerprint),
            (_, existing) => existing.Fingerprint == fingerprint ? existing : new MemoryViewTable(fingerprint));
    }

    private static int IndexOf(FeatureView view, Field feature)
    {
        for (var i = 0; i < view.Schema.Count; i++)
        {
            if (view.Schema[i].Name == feature.Name)
            {
                return i;
            }
        }

        throw new GranaryException($"feature view '{view.Name}' has no feature '{feature.Name}'");
    }
}
