using Apache.Arrow;
using Granary.Aggregations;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;

namespace Granary.Materialization;

/// <summary>
/// Materializes an aggregation view: reads the source's events of a range, builds each entity's
/// state of that range and has the online store replace that range of the entity's stored state,
/// keeping what lies outside it. Replacing rather than adding is what makes any range safe to run
/// again, in any order, and over events already pushed online: every event is counted once.
/// </summary>
/// <param name="project">The project.</param>
/// <param name="offline">Where events are read.</param>
/// <param name="online">Where states are written.</param>
/// <param name="timeProvider">The clock: the horizon of the written states.</param>
/// <param name="allowance">The future event allowance (<see cref="FeatureStoreOptions.FutureEventAllowance"/>).</param>
internal sealed class AggregationMaterializer(
    string project, OfflineStore offline, Lazy<OnlineStore> online, TimeProvider timeProvider, TimeSpan allowance)
{
    /// <summary>Entities whose states go to the online store in one call.</summary>
    public const int KeysPerWrite = 1000;

    /// <summary>
    /// The range a materialization of [<paramref name="start"/>, <paramref name="end"/>] replaces, in
    /// microseconds, half-open: for tiled windows from <paramref name="start"/> rounded down to the
    /// largest hop to <paramref name="end"/> rounded up past it, so that no tile is cut; for exact
    /// windows the interval itself.
    /// </summary>
    public static (long Start, long End) RangeOf(AggregationLayout layout, DateTimeOffset start, DateTimeOffset end)
    {
        var from = Micros.Of(start);
        var to = Micros.Of(end);
        return layout.IsExact ? (from, to + 1) : (Micros.Floor(from, layout.LargestHop), Micros.Floor(to, layout.LargestHop) + layout.LargestHop);
    }

    /// <summary>
    /// Replaces [<paramref name="start"/>, <paramref name="end"/>] (widened by <see cref="RangeOf"/>)
    /// in the state of every entity with events there; returns the entities written and the events read.
    /// </summary>
    public async Task<(long Entities, long Events)> MaterializeAsync(
        RegistrySnapshot snapshot, AggregationView view, DateTimeOffset start, DateTimeOffset end,
        Action<long>? progress, CancellationToken cancellationToken)
    {
        var layout = AggregationLayout.Of(view);
        var request = EventsRequest.For(snapshot.Definitions, view);
        var (from, to) = RangeOf(layout, start, end);
        var horizon = AggregationUpdates.Horizon(timeProvider.GetUtcNow(), allowance);
        var updates = new List<AggregationStateUpdate>(KeysPerWrite);
        long entities = 0;
        long events = 0;
        EntityKey? key = null;
        AggregationState? range = null;

        async Task FlushAsync()
        {
            if (updates.Count > 0)
            {
                await online.Value.UpdateAggregationStatesAsync(project, view.Name, updates, cancellationToken).ConfigureAwait(false);
                entities += updates.Count;
                updates = new List<AggregationStateUpdate>(KeysPerWrite);
                progress?.Invoke(entities);
            }
        }

        void Close()
        {
            if (key is not null)
            {
                range!.Prune(horizon);
                updates.Add(AggregationUpdates.Replace(layout, key, range, from, to, horizon));
            }
        }

        var batches = offline.PullEventsAsync(request, Micros.ToTime(from), Micros.ToTime(to), cancellationToken);
        await foreach (var batch in batches.ConfigureAwait(false))
        {
            var reader = new EventBatchReader(batch, request, layout);
            for (var row = 0; row < batch.Length; row++)
            {
                if (key is null || !reader.HasKey(row, key))
                {
                    Close();
                    if (updates.Count >= KeysPerWrite)
                    {
                        await FlushAsync().ConfigureAwait(false);
                    }

                    key = reader.KeyOf(row);
                    range = new AggregationState(layout);
                }

                range!.Add(reader.EventOf(row), horizon);
                events++;
            }
        }

        Close();
        await FlushAsync().ConfigureAwait(false);
        return (entities, events);
    }

    /// <summary>Reads entity keys and events from a batch of <see cref="OfflineStore.PullEventsAsync"/>.</summary>
    private sealed class EventBatchReader
    {
        private readonly EventsRequest _request;
        private readonly AggregationLayout _layout;
        private readonly IArrowArray[] _keys;
        private readonly IArrowArray _time;
        private readonly IArrowArray _created;
        private readonly IArrowArray[] _columns;
        private readonly string[] _keyNames;

        public EventBatchReader(RecordBatch batch, EventsRequest request, AggregationLayout layout)
        {
            _request = request;
            _layout = layout;
            _keyNames = request.JoinKeys.Select(k => k.Name).ToArray();
            _keys = _keyNames.Select(n => Column(batch, n)).ToArray();
            _time = Column(batch, OfflineStore.EventTimestampColumn);
            _created = Column(batch, OfflineStore.CreatedTimestampColumn);
            _columns = layout.Columns.Select(c => Column(batch, c.Name)).ToArray();
        }

        /// <summary>Whether row <paramref name="row"/> is an event of <paramref name="key"/>.</summary>
        public bool HasKey(int row, EntityKey key)
        {
            for (var k = 0; k < _keys.Length; k++)
            {
                var value = EntityValues.Convert(ArrowBatches.GetValue(_keys[k], row), _request.JoinKeys[k].Type, _keyNames[k]);
                var same = (value, key.Values[k]) switch
                {
                    (long a, long b) => a == b,
                    (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
                    (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
                    _ => false,
                };
                if (!same)
                {
                    return false;
                }
            }

            return true;
        }

        public EntityKey KeyOf(int row)
        {
            var values = new object[_keys.Length];
            for (var k = 0; k < _keys.Length; k++)
            {
                values[k] = EntityValues.Convert(ArrowBatches.GetValue(_keys[k], row), _request.JoinKeys[k].Type, _keyNames[k]);
            }

            return new EntityKey(_keyNames, values);
        }

        public AggregationEvent EventOf(int row)
        {
            var created = ArrowBatches.GetValue(_created, row);
            var values = new AggValue[_columns.Length];
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = AggValue.From(ArrowBatches.GetValue(_columns[c], row), _layout.Columns[c].Kind);
            }

            return new AggregationEvent(
                Micros.Of((DateTimeOffset)ArrowBatches.GetValue(_time, row)!),
                created is DateTimeOffset c2 ? Micros.Of(c2) : long.MinValue,
                values);
        }

        private static IArrowArray Column(RecordBatch batch, string name)
        {
            var index = batch.Schema.GetFieldIndex(name);
            return index >= 0 ? batch.Column(index) : throw new GranaryException($"the offline store's events have no column '{name}'");
        }
    }
}
