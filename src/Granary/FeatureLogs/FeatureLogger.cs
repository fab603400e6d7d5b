using System.Threading.Channels;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.Transformations;
using Microsoft.Extensions.Logging;

namespace Granary.FeatureLogs;

/// <summary>
/// Logs the online reads that name a feature service with <c>logging</c>. The read decides (sampling by
/// request) and copies its rows as typed values into the service's current batch, under a short lock; a
/// background task writes the batches, by rows and by time, and once more when the store is disposed.
/// Waiting rows are bounded: a read that does not fit is dropped and counted, never waited for.
/// </summary>
/// <remarks>
/// The read copies its values rather than queueing itself for the writer: a queued read would keep its
/// request and response (hundreds of small objects) alive until the next flush, and the garbage collector
/// would carry them through its generations, which cost more than the copy and the write together.
/// </remarks>
internal sealed class FeatureLogger : IAsyncDisposable
{
    private readonly FeatureLogOptions _options;
    private readonly string _repoPath;
    private readonly Func<OfflineStore> _offline;
    private readonly OnDemandPlanner _onDemand;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Wakes the writer when enough rows wait; completed when the store is disposed.
    private readonly Channel<bool> _full = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // Guards the batches being filled, the batches waiting, the layouts and their spare batches.
    private readonly object _gate = new();
    private readonly Dictionary<FeatureLogLayout, FeatureLogRows> _filling = [];
    private readonly List<FeatureLogRows> _waiting = [];
    private int _unflushedRows;
    private bool _stopped;

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
    /// Copies the read's rows for logging when it names a logged feature service and is sampled; never
    /// waits for the writer. A failure (counted as rows that failed to write) is thrown for the caller to log.
    /// </summary>
    public void Log(RegistrySnapshot snapshot, OnlineFeaturesRequest request, OnlineResponse response, DateTimeOffset time)
    {
        if (request.FeatureService is not { } service)
        {
            return;
        }

        var configs = ConfigsOf(snapshot);
        if (configs.Services.GetValueOrDefault(service) is not { } logging)
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

        var day = DateOnly.FromDateTime(time.UtcDateTime);
        bool full;
        try
        {
            lock (_gate)
            {
                if (_stopped)
                {
                    // The store is being disposed: nothing will write these rows.
                    Interlocked.Add(ref _queuedRows, -rows);
                    FeatureLogMetrics.RowsDropped(service, rows, FeatureLogMetrics.QueueFull);
                    return;
                }

                var layout = LayoutOf(configs, service);
                if (!_filling.TryGetValue(layout, out var batch))
                {
                    batch = _filling[layout] = layout.Rent(day);
                }
                else if (batch.Day != day)
                {
                    // A day's rows go to that day's folder: the batch of the day before waits for the writer.
                    _waiting.Add(batch);
                    batch = _filling[layout] = layout.Rent(day);
                }

                batch.Append(request, response, time, rows);
                _unflushedRows += rows;
                full = _unflushedRows >= _options.FlushRows;
            }
        }
        catch
        {
            Interlocked.Add(ref _queuedRows, -rows);
            FeatureLogMetrics.RowsDropped(service, rows, FeatureLogMetrics.WriteFailed);
            throw;
        }

        if (full)
        {
            _full.Writer.TryWrite(true);
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

    /// <summary>Stops taking reads and writes every waiting row.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        _full.Writer.TryComplete();
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

    private ServiceConfigs ConfigsOf(RegistrySnapshot snapshot)
    {
        var configs = Volatile.Read(ref _configs);
        if (configs is null || !ReferenceEquals(configs.Snapshot, snapshot))
        {
            configs = new ServiceConfigs(snapshot, snapshot.Definitions.FeatureServices.ToDictionary(s => s.Name, s => s.Logging, StringComparer.Ordinal), []);
            Volatile.Write(ref _configs, configs);
        }

        return configs;
    }

    /// <summary>
    /// Each service's logging under one apply, so that a read looks its service up once in a dictionary (a
    /// snapshot is a record: a dictionary keyed by it would hash every definition on every read), and the
    /// layouts worked out under that apply (used under the lock).
    /// </summary>
    private sealed record ServiceConfigs(RegistrySnapshot Snapshot, Dictionary<string, FeatureLogging?> Services, Dictionary<string, FeatureLogLayout> Layouts);

    /// <summary>The service's layout under the apply, worked out on its first logged read; called under the lock.</summary>
    private FeatureLogLayout LayoutOf(ServiceConfigs configs, string service)
    {
        if (!configs.Layouts.TryGetValue(service, out var layout))
        {
            // A batch of an earlier apply's layout still being filled is written with the next flush.
            layout = FeatureLogLayout.Build(configs.Snapshot, configs.Snapshot.Definitions.FindFeatureService(service)!, _onDemand);
            configs.Layouts[service] = layout;
        }

        return layout;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _full.Reader;
        while (true)
        {
            var flushAt = _time.GetUtcNow() + _options.FlushInterval;
            var completed = false;
            while (!reader.TryRead(out _))
            {
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

            List<FeatureLogRows> batches;
            lock (_gate)
            {
                batches = [.. _waiting, .. _filling.Values];
                _waiting.Clear();
                _filling.Clear();
                _unflushedRows = 0;
            }

            foreach (var batch in batches)
            {
                if (batch.Count > 0)
                {
                    await FlushAsync(batch).ConfigureAwait(false);
                    Interlocked.Add(ref _queuedRows, -batch.Count);
                }

                lock (_gate)
                {
                    batch.Layout.Return(batch);
                }
            }

            if (completed)
            {
                return;
            }
        }
    }

    /// <summary>Writes one batch (one file or table append); a failure drops its rows and is logged.</summary>
    private async Task FlushAsync(FeatureLogRows batch)
    {
        var service = batch.Layout.Service;
        try
        {
            // The service's logging as it was when the rows were read, from the apply they were read under.
            var logging = batch.Layout.Logging;
            if (logging.Table is { } table)
            {
                await _offline().WriteFeatureLogAsync(table, batch.ToBatch()).ConfigureAwait(false);
            }
            else
            {
                await WriteFileAsync(RepoPaths.Resolve(_repoPath, logging.Folder!, "logging.path"), batch).ConfigureAwait(false);
            }

            FeatureLogMetrics.RowsFlushed(service, batch.Count);
        }
#pragma warning disable CA1031 // Logging must never fail a read or stop the writer: any failure drops these rows, counted and logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            FeatureLogMetrics.RowsDropped(service, batch.Count, FeatureLogMetrics.WriteFailed);
            Diagnostics.Log.FeatureLogWriteFailed(_logger, service, batch.Count, e.Message, e);
        }
    }

    private async Task WriteFileAsync(string root, FeatureLogRows batch)
    {
        var folder = Path.Combine(root, FeatureLogColumns.DateFolder(batch.Day));
        Directory.CreateDirectory(folder);
        var name = $"part-{_time.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.parquet";
        var target = Path.Combine(folder, name);
        var temp = Path.Combine(folder, $".{name}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await batch.WriteParquetAsync(file).ConfigureAwait(false);
            }

            File.Move(temp, target);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
