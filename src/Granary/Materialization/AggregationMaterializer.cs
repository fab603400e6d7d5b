using Apache.Arrow;
using Apache.Arrow.Types;
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

    /// <summary>
    /// Reads entity keys and events from a batch of <see cref="OfflineStore.PullEventsAsync"/>,
    /// reading the usual Arrow arrays without boxing: materialization touches every event.
    /// </summary>
    private sealed class EventBatchReader
    {
        private readonly EventsRequest _request;
        private readonly IArrowArray[] _keys;
        private readonly Func<int, long> _time;
        private readonly Func<int, long> _created;
        private readonly Func<int, AggValue>[] _columns;
        private readonly string[] _keyNames;
        private EntityKey? _utf8Key;
        private byte[]?[] _utf8 = [];

        public EventBatchReader(RecordBatch batch, EventsRequest request, AggregationLayout layout)
        {
            _request = request;
            _keyNames = request.JoinKeys.Select(k => k.Name).ToArray();
            _keys = _keyNames.Select(n => Column(batch, n)).ToArray();
            _time = TimeReader(Column(batch, OfflineStore.EventTimestampColumn));
            _created = TimeReader(Column(batch, OfflineStore.CreatedTimestampColumn));
            _columns = layout.Columns.Select(c => ValueReader(Column(batch, c.Name), c.Kind)).ToArray();
        }

        /// <summary>Whether row <paramref name="row"/> is an event of <paramref name="key"/>.</summary>
        public bool HasKey(int row, EntityKey key)
        {
            for (var k = 0; k < _keys.Length; k++)
            {
                var same = (_keys[k], key.Values[k]) switch
                {
                    (Int64Array a, long b) => a.GetValue(row) == b,
                    (Int32Array a, long b) => a.GetValue(row) == b,
                    (StringArray a, string) => !a.IsNull(row) && a.GetBytes(row).SequenceEqual(Utf8Of(key, k)),
                    (var array, var b) => EntityValues.Convert(ArrowBatches.GetValue(array, row), _request.JoinKeys[k].Type, _keyNames[k]) switch
                    {
                        long a => b is long l && a == l,
                        string a => b is string t && string.Equals(a, t, StringComparison.Ordinal),
                        byte[] a => b is byte[] bytes && a.AsSpan().SequenceEqual(bytes),
                        _ => false,
                    },
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
            var values = new AggValue[_columns.Length];
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = _columns[c](row);
            }

            return new AggregationEvent(_time(row), _created(row), values);
        }

        /// <summary>The UTF-8 bytes of string key value <paramref name="k"/> of <paramref name="key"/>, kept while the key is the same.</summary>
        private ReadOnlySpan<byte> Utf8Of(EntityKey key, int k)
        {
            if (!ReferenceEquals(key, _utf8Key))
            {
                _utf8Key = key;
                _utf8 = new byte[]?[_keys.Length];
            }

            return _utf8[k] ??= System.Text.Encoding.UTF8.GetBytes((string)key.Values[k]);
        }

        /// <summary>Microseconds of a time column; <see cref="long.MinValue"/> for a null.</summary>
        private static Func<int, long> TimeReader(IArrowArray array)
        {
            if (array is TimestampArray times && times.Data.DataType is TimestampType { Unit: var unit })
            {
                return row => times.GetValue(row) is { } v ? Micros.OfArrow(v, unit) : long.MinValue;
            }

            return row => ArrowBatches.GetValue(array, row) is DateTimeOffset t ? Micros.Of(t) : long.MinValue;
        }

        private static Func<int, AggValue> ValueReader(IArrowArray array, ValueKind kind) => (array, kind) switch
        {
            (_, ValueKind.NullOnly) => row => array.IsNull(row) ? AggValue.Null : AggValue.OfLong(0),
            (Int64Array a, ValueKind.Int32 or ValueKind.Int64) => row => a.GetValue(row) is { } v ? AggValue.OfLong(v) : AggValue.Null,
            (Int32Array a, ValueKind.Int32 or ValueKind.Int64) => row => a.GetValue(row) is { } v ? AggValue.OfLong(v) : AggValue.Null,
            (DoubleArray a, ValueKind.Float32 or ValueKind.Float64) => row => a.GetValue(row) is { } v ? AggValue.OfDouble(v) : AggValue.Null,
            (FloatArray a, ValueKind.Float32 or ValueKind.Float64) => row => a.GetValue(row) is { } v ? AggValue.OfDouble(v) : AggValue.Null,
            (StringArray a, ValueKind.String) => row => a.IsNull(row) ? AggValue.Null : AggValue.OfBytes(a.GetBytes(row).ToArray()),
            (TimestampArray, ValueKind.Timestamp) => TimestampValues(TimeReader(array)),
            _ => row => AggValue.From(ArrowBatches.GetValue(array, row), kind),
        };

        private static Func<int, AggValue> TimestampValues(Func<int, long> time) =>
            row => time(row) is var micros && micros != long.MinValue ? AggValue.OfLong(micros) : AggValue.Null;

        private static IArrowArray Column(RecordBatch batch, string name)
        {
            var index = batch.Schema.GetFieldIndex(name);
            return index >= 0 ? batch.Column(index) : throw new GranaryException($"the offline store's events have no column '{name}'");
        }
    }
}
