using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Granary.Definitions;
using Granary.Online;
using Granary.Redis.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using static Granary.Redis.RedisLayout;

namespace Granary.Redis;

/// <summary>
/// The online store on Redis or Redis Cluster: one hash per entity key, one field per view holding
/// the view's row in one blob, writes made monotonic by a Lua script and many rows or keys sent per
/// round trip (see <see cref="RedisLayout"/> and docs/online-redis.md). Rows of the earlier layout,
/// a field per feature, are read until a write rewrites them.
/// </summary>
public sealed partial class RedisOnlineStore : OnlineStore
{
    /// <summary>Keys a SCAN page and an UNLINK or HDEL wave hold at most.</summary>
    private const int ScanPage = 1000;

    private readonly RedisOnlineStoreOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Action<IConnectionMultiplexer>? _connected;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly ConditionalWeakTable<FeatureView, ViewFields> _fields = [];

    /// <summary>Each project's layout marker as this instance read it, and whether it is stored (it is not when only read and absent).</summary>
    private readonly ConcurrentDictionary<string, (RedisLayoutMarker Marker, bool Stored)> _markers = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private bool _isCluster;

    /// <summary>Creates the store; it connects on first use.</summary>
    /// <param name="options">The store's settings.</param>
    /// <param name="loggerFactory">Where the store and StackExchange.Redis log; nowhere when null.</param>
    /// <param name="connected">
    /// Called with the connection once it is made, for example to trace its commands
    /// (OpenTelemetry's <c>StackExchangeRedisInstrumentation.AddConnection</c>); null for nothing.
    /// </param>
    public RedisOnlineStore(RedisOnlineStoreOptions options, ILoggerFactory? loggerFactory = null, Action<IConnectionMultiplexer>? connected = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Repo.ConfigBinder.Validate(options, "online_store (redis)");

        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<RedisOnlineStore>();
        _connected = connected;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Rows of deleted views, rows of changed views written under their old schema, and (in a project
    /// that may hold layout 1 rows) fields of features removed or retyped since the last update, are
    /// removed from every hash of the project: a SCAN of the project's keys on every primary. The first
    /// update of a project without a layout marker also SCANs it once, to learn whether it holds rows
    /// of layout 1.
    /// </remarks>
    public override async Task UpdateAsync(
        string project, IReadOnlyList<FeatureView> keep, IReadOnlyList<FeatureView> delete, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentNullException.ThrowIfNull(delete);
        Check(project);
        foreach (var view in keep.Concat(delete))
        {
            Check(project, view);
        }

        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var marker = await MarkerAsync(db, project, MarkerUse.Apply, cancellationToken).ConfigureAwait(false);
        var viewsKey = ViewsKey(project);
        var applied = (await db.HashGetAllAsync(viewsKey).WaitAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        var stale = new HashSet<RedisValue>();
        foreach (var view in keep)
        {
            if (applied.TryGetValue(view.Name, out var before) && before != Fingerprint(view))
            {
                stale.Add(RowField(view.Name, before));
                if (marker.MayHoldLayout1)
                {
                    // Layout 1 kept the features that did not change, as a field per feature allows.
                    var now = Lines(view).ToHashSet(StringComparer.Ordinal);
                    foreach (var old in before.Split('\n').Where(line => line.Length > 0 && !now.Contains(line)))
                    {
                        stale.Add(FeatureField(view.Name, FeatureOf(old)));
                    }
                }
            }
        }

        foreach (var view in delete)
        {
            stale.Add(RowField(view));
            applied.TryGetValue(view.Name, out var before);
            if (before is not null)
            {
                stale.Add(RowField(view.Name, before));
            }

            if (marker.MayHoldLayout1)
            {
                stale.Add(TimestampField(view.Name));
                var features = before is not null
                    ? before.Split('\n').Where(line => line.Length > 0).Select(FeatureOf)
                    : view.Schema.Select(f => f.Name);
                foreach (var feature in features)
                {
                    stale.Add(FeatureField(view.Name, feature));
                }
            }
        }

        if (stale.Count > 0)
        {
            // Every key of the project is a hash but the layout marker, a string.
            var fields = stale.ToArray();
            var layoutKey = LayoutKey(project);
            await ForEachKeyAsync(db, ProjectPattern(project), keys => Task.WhenAll(keys.Where(key => key != layoutKey).Select(key => db.HashDeleteAsync(key, fields))), cancellationToken)
                .ConfigureAwait(false);
            Log.StaleFieldsRemoved(_logger, fields.Length, project);
        }

        var deleted = delete.Select(v => (RedisValue)v.Name).Except(keep.Select(v => (RedisValue)v.Name)).ToArray();
        if (deleted.Length > 0)
        {
            await db.HashDeleteAsync(viewsKey, deleted).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (keep.Count > 0)
        {
            await db.HashSetAsync(viewsKey, keep.Select(v => new HashEntry(v.Name, Fingerprint(v))).ToArray())
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task WriteBatchAsync(
        string project, FeatureView view, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(rows);
        Check(project, view);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var marker = await MarkerAsync(db, project, MarkerUse.Write, cancellationToken).ConfigureAwait(false);
        var fields = FieldsOf(view);
        var ttl = (long)_options.KeyTtl.TotalSeconds;
        RedisValue[] header = marker.MayHoldLayout1
            ? [ttl, fields.Row, fields.Timestamp, fields.InSchemaOrder.Length, .. fields.InSchemaOrder]
            : [ttl, fields.Row, RedisValue.EmptyString, 0];
        var calls = new List<Task<RedisResult>>();
        var bySlot = new Dictionary<int, List<(RedisKey Key, OnlineRow Row)>>();
        var all = new List<(RedisKey Key, OnlineRow Row)>();
        for (var start = 0; start < rows.Count; start += _options.RowsInFlight)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(rows.Count, start + _options.RowsInFlight);
            bySlot.Clear();
            all.Clear();
            for (var i = start; i < end; i++)
            {
                var key = EntityKey(project, rows[i].Key);
                if (!_isCluster)
                {
                    all.Add((key, rows[i]));
                    continue;
                }

                // Keys of one script call must share a hash slot on a cluster.
                var slot = _connection!.HashSlot(key);
                if (!bySlot.TryGetValue(slot, out var group))
                {
                    bySlot[slot] = group = [];
                }

                group.Add((key, rows[i]));
            }

            calls.Clear();
            foreach (var group in _isCluster ? (IEnumerable<List<(RedisKey Key, OnlineRow Row)>>)bySlot.Values : [all])
            {
                for (var at = 0; at < group.Count; at += _options.RowsPerCall)
                {
                    calls.Add(SendRows(db, view, header, group, at, Math.Min(group.Count, at + _options.RowsPerCall)));
                }
            }

            await Task.WhenAll(calls).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One <c>HMGET</c> per key asks for every view's row at once, all pipelined. In a project that may
    /// hold layout 1 rows it also asks for each view's <c>_ts:</c> field, and reads a row found only in
    /// layout 1 with a second <c>HMGET</c> of its feature fields.
    /// </remarks>
    public override async Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadAsync(
        string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(keys);
        Check(project);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var layout1 = (await MarkerAsync(db, project, MarkerUse.Read, cancellationToken).ConfigureAwait(false)).MayHoldLayout1;
        var width = layout1 ? 2 : 1;
        var fields = new RedisValue[views.Count * width];
        var names = new ViewFields[views.Count];
        var wanted = new int[views.Count][];
        for (var v = 0; v < views.Count; v++)
        {
            names[v] = FieldsOf(views[v].View);
            fields[v * width] = names[v].Row;
            if (layout1)
            {
                fields[(v * width) + 1] = names[v].Timestamp;
            }

            wanted[v] = new int[views[v].Features.Count];
            for (var f = 0; f < wanted[v].Length; f++)
            {
                wanted[v][f] = names[v].IndexOf(views[v].Features[f]);
            }
        }

        var replies = new Task<RedisValue[]>[keys.Count];
        for (var k = 0; k < keys.Count; k++)
        {
            replies[k] = db.HashGetAsync(EntityKey(project, keys[k]), fields);
        }

        if (keys.Count > 0)
        {
            await Task.WhenAll(replies).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var result = new OnlineRead?[views.Count][];
        List<(int View, int Key, Task<RedisValue[]> Reply)>? again = null;
        for (var v = 0; v < views.Count; v++)
        {
            var reads = result[v] = new OnlineRead?[keys.Count];
            var ranges = new Range[views[v].View.Schema.Count];
            for (var k = 0; k < keys.Count; k++)
            {
                var reply = replies[k].Result;
                var row = reply[v * width];
                var old = layout1 ? reply[(v * width) + 1] : RedisValue.Null;
                if (old.IsNull)
                {
                    reads[k] = row.IsNull ? null : FromRow(views[v].View, row, wanted[v], ranges);
                    continue;
                }

                // A layout 1 row: read its features, and the row field again in case a write has just moved it.
                again ??= [];
                again.Add((v, k, db.HashGetAsync(EntityKey(project, keys[k]), [names[v].Row, names[v].Timestamp, .. views[v].Features.Select(names[v].Of)])));
            }
        }

        if (again is not null)
        {
            await Task.WhenAll(again.Select(a => a.Reply)).WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (v, k, task) in again)
            {
                var reply = task.Result;
                var (row, timestamp) = (reply[0], reply[1]);
                if (!row.IsNull && (timestamp.IsNull || EventTimeOf(row) >= (long)timestamp))
                {
                    result[v][k] = FromRow(views[v].View, row, wanted[v], new Range[views[v].View.Schema.Count]);
                }
                else if (!timestamp.IsNull)
                {
                    var features = views[v].Features;
                    var values = new object?[features.Count];
                    for (var f = 0; f < values.Length; f++)
                    {
                        values[f] = FeatureValueCodec.Decode(features[f].Dtype, ((ReadOnlyMemory<byte>)reply[2 + f]).Span);
                    }

                    result[v][k] = new OnlineRead(FeatureValueCodec.FromUnixMicroseconds((long)timestamp), values);
                }
                else
                {
                    result[v][k] = null;
                }
            }
        }

        return result;
    }

    /// <inheritdoc/>
    /// <remarks>SCANs the project's keys on every primary and UNLINKs them, grouped by hash slot.</remarks>
    public override async Task TeardownAsync(string project, CancellationToken cancellationToken = default)
    {
        Check(project);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await ForEachKeyAsync(db, ProjectPattern(project), keys => Task.WhenAll(keys
            .GroupBy(key => _connection!.HashSlot(key))
            .Select(slot => db.ExecuteAsync("UNLINK", slot.Cast<object>().ToArray()))), cancellationToken).ConfigureAwait(false);
        _markers.TryRemove(project, out _);
    }

    /// <inheritdoc/>
    public override async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectGate.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static Task<RedisResult> SendRows(
        IDatabase db, FeatureView view, RedisValue[] header, List<(RedisKey Key, OnlineRow Row)> group, int from, int to)
    {
        var n = view.Schema.Count;
        var keys = new RedisKey[to - from];
        var values = new RedisValue[header.Length + keys.Length];
        header.CopyTo(values, 0);

        // All rows of the call are encoded into one buffer that the RedisValues slice.
        var buffer = new ArrayBufferWriter<byte>(keys.Length * (EventTimeBytes + (n * 10)));
        var scratch = new ArrayBufferWriter<byte>(16);
        var ends = new int[keys.Length];
        for (var r = 0; r < keys.Length; r++)
        {
            var row = group[from + r].Row;
            if (row.Values.Count != n)
            {
                throw new GranaryException($"feature view '{view.Name}': a row has {row.Values.Count} values for {n} features");
            }

            BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(EventTimeBytes), FeatureValueCodec.ToUnixMicroseconds(row.EventTimestamp));
            buffer.Advance(EventTimeBytes);
            FeatureValueCodec.EncodeRow(buffer, view.Schema, row.Values, scratch);
            ends[r] = buffer.WrittenCount;
        }

        var written = buffer.WrittenMemory;
        var previous = 0;
        for (var r = 0; r < keys.Length; r++)
        {
            keys[r] = group[from + r].Key;
            values[header.Length + r] = written[previous..ends[r]];
            previous = ends[r];
        }

        return db.ScriptEvaluateAsync(RedisScripts.WriteRows, keys, values);
    }

    /// <summary>The event time at the front of a stored row.</summary>
    private static long EventTimeOf(RedisValue row) => BinaryPrimitives.ReadInt64LittleEndian(((ReadOnlyMemory<byte>)row).Span);

    /// <summary>Decodes the <paramref name="wanted"/> features (schema positions) of a stored row.</summary>
    private static OnlineRead FromRow(FeatureView view, RedisValue stored, int[] wanted, Range[] ranges)
    {
        var bytes = ((ReadOnlyMemory<byte>)stored).Span;
        if (bytes.Length < EventTimeBytes)
        {
            throw new GranaryException($"feature view '{view.Name}': a stored Redis row of {bytes.Length} bytes is too short to hold its event time");
        }

        var row = bytes[EventTimeBytes..];
        FeatureValueCodec.SplitRow(row, ranges);
        var values = new object?[wanted.Length];
        for (var f = 0; f < wanted.Length; f++)
        {
            values[f] = FeatureValueCodec.Decode(view.Schema[wanted[f]].Dtype, row[ranges[wanted[f]]]);
        }

        return new OnlineRead(FeatureValueCodec.FromUnixMicroseconds(BinaryPrimitives.ReadInt64LittleEndian(bytes)), values);
    }

    /// <summary>
    /// The project's layout marker, read once per instance. An absent marker means rows of layout 1 may
    /// exist; a write or an update then stores one: <c>2+1</c> from a write, and from an update <c>2</c>
    /// unless the project has been applied before or a SCAN finds any of its rows.
    /// </summary>
    private async ValueTask<RedisLayoutMarker> MarkerAsync(IDatabase db, string project, MarkerUse use, CancellationToken cancellationToken)
    {
        if (_markers.TryGetValue(project, out var known) && (known.Stored || use == MarkerUse.Read))
        {
            return known.Marker;
        }

        var key = LayoutKey(project);
        var text = await db.StringGetAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (text.IsNull && use != MarkerUse.Read)
        {
            var fresh = use == MarkerUse.Apply && !await HoldsRowsAsync(db, project, cancellationToken).ConfigureAwait(false);
            var marker = new RedisLayoutMarker(MayHoldLayout1: !fresh);

            // Another writer may have marked the project meanwhile: its marker wins, as both are true.
            if (await db.StringSetAsync(key, marker.Text, when: When.NotExists).WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                Log.LayoutMarked(_logger, project, marker.Text);
                text = marker.Text;
            }
            else
            {
                text = await db.StringGetAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var found = text.IsNull ? (new RedisLayoutMarker(MayHoldLayout1: true), false) : (RedisLayoutMarker.Parse(project, text!), true);
        _markers[project] = found;
        return found.Item1;
    }

    /// <summary>Whether the project has been applied before or holds any entity's row: a SCAN that stops at the first.</summary>
    private async Task<bool> HoldsRowsAsync(IDatabase db, string project, CancellationToken cancellationToken)
    {
        if (await db.KeyExistsAsync(ViewsKey(project)).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        var states = project + ":_agg:";
        foreach (var server in _connection!.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(db.Database, ProjectPattern(project), ScanPage).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                // Entity keys are the only ones whose canonical part holds '='; aggregation states hold it too.
                var name = key.ToString();
                if (name.Contains('=', StringComparison.Ordinal) && !name.StartsWith(states, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Hands the keys matching <paramref name="pattern"/>, a page at a time, from every primary (every node of a cluster).</summary>
    private async Task ForEachKeyAsync(IDatabase db, RedisValue pattern, Func<List<RedisKey>, Task> action, CancellationToken cancellationToken)
    {
        var page = new List<RedisKey>(ScanPage);
        foreach (var server in _connection!.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(db.Database, pattern, ScanPage).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                page.Add(key);
                if (page.Count == ScanPage)
                {
                    await action(page).ConfigureAwait(false);
                    page.Clear();
                }
            }
        }

        if (page.Count > 0)
        {
            await action(page).ConfigureAwait(false);
        }
    }

    private ViewFields FieldsOf(FeatureView view) => _fields.GetValue(view, static v => new ViewFields(v));

    private async ValueTask<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _database) is { } database)
        {
            return database;
        }

        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_database is null)
            {
                try
                {
                    var configuration = ConfigurationOptions.Parse(_options.ConnectionString);
                    configuration.LoggerFactory = _loggerFactory;

                    // The .NET thread pool rather than StackExchange.Redis's shared pool of dedicated threads: those
                    // spin waiting for work and hand each reply to the pool anyway, which cost the feature server about a
                    // quarter of its CPU and 5 of its 7 thread wake-ups a request (docs/benchmarks.md, "Where the serving
                    // tail comes from").
                    configuration.SocketManager = SocketManager.ThreadPool;
                    _connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (RedisConnectionException e)
                {
                    Log.Unreachable(_logger, Endpoints(), e.Message);
                    throw new GranaryException($"cannot reach the Redis online store at '{Endpoints()}': {e.Message}", e);
                }

                _isCluster = _connection.GetServers().Any(server => server.ServerType == ServerType.Cluster);
                _connection.ConnectionFailed += (_, e) => Log.ConnectionFailed(_logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString(), e.Exception);
                _connection.ConnectionRestored += (_, e) => Log.ConnectionRestored(_logger, e.EndPoint?.ToString() ?? "?");
                Log.Connected(_logger, Endpoints(), _isCluster ? "cluster" : "standalone");
                _connected?.Invoke(_connection);
                Volatile.Write(ref _database, _connection.GetDatabase());
            }

            return _database!;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>The endpoints of the connection string, without passwords or other options, for messages.</summary>
    private string Endpoints() => string.Join(",", ConfigurationOptions.Parse(_options.ConnectionString).EndPoints.Select(e => e.ToString()));

    /// <summary>What a layout marker is looked up for.</summary>
    private enum MarkerUse
    {
        Read,
        Write,
        Apply,
    }

    /// <summary>A view's field names, computed once per view object.</summary>
    private sealed class ViewFields
    {
        private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

        public ViewFields(FeatureView view)
        {
            Row = RowField(view);
            Timestamp = TimestampField(view.Name);
            InSchemaOrder = view.Schema.Select(f => FeatureField(view.Name, f.Name)).ToArray();
            for (var i = 0; i < view.Schema.Count; i++)
            {
                _positions[view.Schema[i].Name] = i;
            }

            ViewName = view.Name;
        }

        /// <summary>The field of the view's row.</summary>
        public RedisValue Row { get; }

        /// <summary>The view's event time field in layout 1.</summary>
        public RedisValue Timestamp { get; }

        /// <summary>The view's feature fields in layout 1, in schema order.</summary>
        public RedisValue[] InSchemaOrder { get; }

        private string ViewName { get; }

        /// <summary>The position of <paramref name="feature"/> in the view's schema.</summary>
        public int IndexOf(Field feature) =>
            _positions.TryGetValue(feature.Name, out var position)
                ? position
                : throw new GranaryException($"feature view '{ViewName}' has no feature '{feature.Name}'");

        /// <summary>The layout 1 field of <paramref name="feature"/>.</summary>
        public RedisValue Of(Field feature) => InSchemaOrder[IndexOf(feature)];
    }
}
