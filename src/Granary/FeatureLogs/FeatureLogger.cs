using System.Threading.Channels;
using Apache.Arrow;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.Transformations;
using Microsoft.Extensions.Logging;

namespace Granary.FeatureLogs;

/// <summary>
/// Logs the online reads that name a feature service with <c>logging</c>, off the read's path: the
/// read only decides (sampling by request) and enqueues; a background task builds the rows and writes
/// them, by rows and by time, and once more when the store is disposed. The queue is bounded in rows:
/// a read that does not fit is dropped and counted, never waited for.
/// </summary>
internal sealed class FeatureLogger : IAsyncDisposable
{
    private readonly FeatureLogOptions _options;
    private readonly string _repoPath;
    private readonly Func<OfflineStore> _offline;
    private readonly OnDemandPlanner _onDemand;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<LoggedRead> _queue = Channel.CreateUnbounded<LoggedRead>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<(RegistrySnapshot, string), FeatureLogLayout> _layouts = [];
    private readonly object _start = new();
    private Task? _writer;
    private ServiceConfigs? _configs;
    private long _queuedRows;

    public FeatureLogger(FeatureLogOptions options, string repoPath, Func<OfflineStore> offline, OnDemandPlanner onDemand, TimeProvider time, ILogger logger)
    {
        _options = options;
        _repoPath = repoPath;
        _offline = offline;
        _onDemand = onDemand;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Queues the read for logging when it names a logged feature service and is sampled; never throws
    /// and never waits.
    /// </summary>
    public void Log(RegistrySnapshot snapshot, OnlineFeaturesRequest request, OnlineResponse response, DateTimeOffset time)
    {
        if (request.FeatureService is not { } service || LoggingOf(snapshot, service) is not { } logging)
        {
            return;
        }

        var rows = response.Results.Count == 0 ? 0 : response.Results[0].Values.Length;
        if (rows == 0 || logging.SampleRate <= 0 || (logging.SampleRate < 1 && Random.Shared.NextDouble() >= logging.SampleRate))
        {
            return;
        }

        if (Interlocked.Add(ref _queuedRows, rows) > _options.QueueRows)
        {
            Interlocked.Add(ref _queuedRows, -rows);
            FeatureLogMetrics.RowsDropped(service, rows, FeatureLogMetrics.QueueFull);
            return;
        }

        // The caller may reuse its entity lists after the read, and the server's JSON values live in a
        // document freed with the request: the log keeps copies of what was asked.
        var entities = request.Entities.ToDictionary(e => e.Key, e => (IReadOnlyList<object?>)Copy(e.Value), StringComparer.Ordinal);
        if (!_queue.Writer.TryWrite(new LoggedRead(snapshot, service, request with { Entities = entities }, response, time, rows)))
        {
            // The store is being disposed: nothing will write these rows.
            Interlocked.Add(ref _queuedRows, -rows);
            FeatureLogMetrics.RowsDropped(service, rows, FeatureLogMetrics.QueueFull);
            return;
        }

        if (Volatile.Read(ref _writer) is null)
        {
            // The writer starts with the first logged read: a store that logs nothing runs no task.
            lock (_start)
            {
                _writer ??= Task.Run(WriteLoopAsync);
            }
        }
    }

    private static object?[] Copy(IReadOnlyList<object?> column)
    {
        var copy = new object?[column.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = column[i] is System.Text.Json.JsonElement json ? json.Clone() : column[i];
        }

        return copy;
    }

    /// <summary>Stops taking reads and writes every queued row.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? writer;
        lock (_start)
        {
            writer = _writer;
        }

        if (writer is not null)
        {
            await writer.ConfigureAwait(false);
        }
    }

    private FeatureLogging? LoggingOf(RegistrySnapshot snapshot, string service)
    {
        var configs = Volatile.Read(ref _configs);
        if (configs is null || !ReferenceEquals(configs.Snapshot, snapshot))
        {
            configs = new ServiceConfigs(snapshot, snapshot.Definitions.FeatureServices.ToDictionary(s => s.Name, s => s.Logging, StringComparer.Ordinal));
            Volatile.Write(ref _configs, configs);
        }

        return configs.Services.GetValueOrDefault(service);
    }

    /// <summary>Each service's logging under one apply, so that a read looks its service up once in a dictionary.</summary>
    private sealed record ServiceConfigs(RegistrySnapshot Snapshot, Dictionary<string, FeatureLogging?> Services);

    private async Task WriteLoopAsync()
    {
        var pending = new List<LoggedRead>();
        var pendingRows = 0;
        var reader = _queue.Reader;
        while (true)
        {
            var flushAt = _time.GetUtcNow() + _options.FlushInterval;
            var completed = false;
            while (pendingRows < _options.FlushRows)
            {
                while (pendingRows < _options.FlushRows && reader.TryRead(out var read))
                {
                    pending.Add(read);
                    pendingRows += read.Rows;
                }

                if (pendingRows >= _options.FlushRows)
                {
                    break;
                }

                var wait = flushAt - _time.GetUtcNow();
                if (wait <= TimeSpan.Zero)
                {
                    break;
                }

                using var timeout = new CancellationTokenSource(wait, _time);
                try
                {
                    if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    break;
                }
            }

            if (pending.Count > 0)
            {
                await FlushAsync(pending).ConfigureAwait(false);
                Interlocked.Add(ref _queuedRows, -pendingRows);
                pending.Clear();
                pendingRows = 0;
            }

            if (completed)
            {
                return;
            }
        }
    }

    /// <summary>Writes the reads, one file (or table append) per service, layout and day; a failure drops those rows and is logged.</summary>
    private async Task FlushAsync(List<LoggedRead> reads)
    {
        foreach (var group in reads.GroupBy(r => (r.Snapshot, r.Service, Day: DateOnly.FromDateTime(r.Time.UtcDateTime))))
        {
            var rows = group.Sum(r => r.Rows);
            try
            {
                var service = group.Key.Snapshot.Definitions.FindFeatureService(group.Key.Service)!;
                if (!_layouts.TryGetValue((group.Key.Snapshot, group.Key.Service), out var layout))
                {
                    layout = FeatureLogLayout.Build(group.Key.Snapshot, service, _onDemand);
                    _layouts[(group.Key.Snapshot, group.Key.Service)] = layout;
                    foreach (var stale in _layouts.Keys.Where(k => k.Item2 == group.Key.Service && k.Item1.Version < group.Key.Snapshot.Version).ToList())
                    {
                        _layouts.Remove(stale);
                    }
                }

                var batch = layout.ToBatch([.. group]);
                await WriteAsync(service.Logging!, group.Key.Day, batch).ConfigureAwait(false);
                FeatureLogMetrics.RowsFlushed(group.Key.Service, rows);
            }
#pragma warning disable CA1031 // Logging must never fail a read or stop the writer: any failure drops these rows, counted and logged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                FeatureLogMetrics.RowsDropped(group.Key.Service, rows, FeatureLogMetrics.WriteFailed);
                Diagnostics.Log.FeatureLogWriteFailed(_logger, group.Key.Service, rows, e.Message, e);
            }
        }
    }

    private async Task WriteAsync(FeatureLogging logging, DateOnly day, RecordBatch batch)
    {
        if (logging.Table is { } table)
        {
            await _offline().WriteFeatureLogAsync(table, batch).ConfigureAwait(false);
            return;
        }

        var folder = Path.Combine(RepoPaths.Resolve(_repoPath, logging.Folder!, "logging.path"), FeatureLogColumns.DateFolder(day));
        Directory.CreateDirectory(folder);
        var name = $"part-{_time.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.parquet";
        var target = Path.Combine(folder, name);
        var temp = Path.Combine(folder, $".{name}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await ParquetBatchWriter.WriteAsync(file, batch.Schema.FieldsList.Select(f => f.Name).ToArray(), One(batch), CancellationToken.None, millisecondTimestamps: true).ConfigureAwait(false);
            }

            File.Move(temp, target);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async IAsyncEnumerable<RecordBatch> One(RecordBatch batch)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return batch;
    }
}
