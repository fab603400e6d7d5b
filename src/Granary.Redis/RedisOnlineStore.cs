using System.Buffers;
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
/// The online store on Redis or Redis Cluster: one hash per entity key, a field per feature, writes
/// made monotonic by a Lua script and many rows or keys sent per round trip (see
/// <see cref="RedisLayout"/> and docs/online-redis.md).
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
    /// Fields of deleted views, and of features removed or retyped since the last update, are
    /// removed from every hash of the project: a SCAN of the project's keys on every primary.
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
        var viewsKey = ViewsKey(project);
        var applied = (await db.HashGetAllAsync(viewsKey).WaitAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        var stale = new HashSet<RedisValue>();
        foreach (var view in keep)
        {
            if (applied.TryGetValue(view.Name, out var before) && before != Fingerprint(view))
            {
                var now = Lines(view).ToHashSet(StringComparer.Ordinal);
                foreach (var old in before.Split('\n').Where(line => line.Length > 0 && !now.Contains(line)))
                {
                    stale.Add(FeatureField(view.Name, FeatureOf(old)));
                }
            }
        }

        foreach (var view in delete)
        {
            stale.Add(TimestampField(view.Name));
            var features = applied.TryGetValue(view.Name, out var before)
                ? before.Split('\n').Where(line => line.Length > 0).Select(FeatureOf)
                : view.Schema.Select(f => f.Name);
            foreach (var feature in features)
            {
                stale.Add(FeatureField(view.Name, feature));
            }
        }

        if (stale.Count > 0)
        {
            var fields = stale.ToArray();
            await ForEachKeyAsync(db, ProjectPattern(project), keys => Task.WhenAll(keys.Select(key => db.HashDeleteAsync(key, fields))), cancellationToken)
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
        var fields = FieldsOf(view);
        RedisValue[] header = [(long)_options.KeyTtl.TotalSeconds, view.Schema.Count];
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
                    calls.Add(SendRows(db, view, fields, header, group, at, Math.Min(group.Count, at + _options.RowsPerCall)));
                }
            }

            await Task.WhenAll(calls).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<IReadOnlyList<OnlineRead?>>> ReadAsync(
        string project, IReadOnlyList<OnlineViewRead> views, IReadOnlyList<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(keys);
        Check(project);
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);

        // One HMGET per key asks for every view's event time and requested features at once.
        var starts = new int[views.Count];
        var total = 0;
        for (var v = 0; v < views.Count; v++)
        {
            starts[v] = total;
            total += 1 + views[v].Features.Count;
        }

        var fields = new RedisValue[total];
        for (var v = 0; v < views.Count; v++)
        {
            var names = FieldsOf(views[v].View);
            fields[starts[v]] = names.Timestamp;
            for (var f = 0; f < views[v].Features.Count; f++)
            {
                fields[starts[v] + 1 + f] = names.Of(views[v].Features[f]);
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

        var result = new IReadOnlyList<OnlineRead?>[views.Count];
        for (var v = 0; v < views.Count; v++)
        {
            var features = views[v].Features;
            var reads = new OnlineRead?[keys.Count];
            for (var k = 0; k < keys.Count; k++)
            {
                var reply = replies[k].Result;
                var timestamp = reply[starts[v]];
                if (timestamp.IsNull)
                {
                    continue;
                }

                var values = new object?[features.Count];
                for (var f = 0; f < values.Length; f++)
                {
                    values[f] = FeatureValueCodec.Decode(features[f].Dtype, ((ReadOnlyMemory<byte>)reply[starts[v] + 1 + f]).Span);
                }

                reads[k] = new OnlineRead(FeatureValueCodec.FromUnixMicroseconds((long)timestamp), values);
            }

            result[v] = reads;
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
        IDatabase db, FeatureView view, ViewFields fields, RedisValue[] header, List<(RedisKey Key, OnlineRow Row)> group, int from, int to)
    {
        var n = view.Schema.Count;
        var width = (2 * n) + 2;
        var keys = new RedisKey[to - from];
        var values = new RedisValue[header.Length + (keys.Length * width)];
        header.CopyTo(values, 0);

        // All values of the call are encoded into one buffer that the RedisValues slice.
        var buffer = new ArrayBufferWriter<byte>(keys.Length * n * 12);
        var ends = new int[keys.Length * n];
        for (var r = 0; r < keys.Length; r++)
        {
            var row = group[from + r].Row;
            if (row.Values.Count != n)
            {
                throw new GranaryException($"feature view '{view.Name}': a row has {row.Values.Count} values for {n} features");
            }

            for (var f = 0; f < n; f++)
            {
                FeatureValueCodec.Encode(buffer, view.Schema[f], row.Values[f]);
                ends[(r * n) + f] = buffer.WrittenCount;
            }
        }

        var written = buffer.WrittenMemory;
        var at = header.Length;
        var previous = 0;
        for (var r = 0; r < keys.Length; r++)
        {
            var (key, row) = group[from + r];
            keys[r] = key;
            values[at++] = fields.Timestamp;
            values[at++] = FeatureValueCodec.ToUnixMicroseconds(row.EventTimestamp);
            for (var f = 0; f < n; f++)
            {
                var end = ends[(r * n) + f];
                values[at++] = fields.InSchemaOrder[f];
                values[at++] = written[previous..end];
                previous = end;
            }
        }

        return db.ScriptEvaluateAsync(RedisScripts.WriteRows, keys, values);
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

    /// <summary>A view's field names, computed once per view object.</summary>
    private sealed class ViewFields
    {
        private readonly Dictionary<string, RedisValue> _byFeature = new(StringComparer.Ordinal);

        public ViewFields(FeatureView view)
        {
            Timestamp = TimestampField(view.Name);
            InSchemaOrder = view.Schema.Select(f => FeatureField(view.Name, f.Name)).ToArray();
            for (var i = 0; i < view.Schema.Count; i++)
            {
                _byFeature[view.Schema[i].Name] = InSchemaOrder[i];
            }

            ViewName = view.Name;
        }

        public RedisValue Timestamp { get; }

        public RedisValue[] InSchemaOrder { get; }

        private string ViewName { get; }

        public RedisValue Of(Field feature) =>
            _byFeature.TryGetValue(feature.Name, out var field)
                ? field
                : throw new GranaryException($"feature view '{ViewName}' has no feature '{feature.Name}'");
    }
}
