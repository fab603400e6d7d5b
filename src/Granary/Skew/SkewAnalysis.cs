using Apache.Arrow;
using Granary.Definitions;
using Granary.FeatureLogs;
using Granary.Offline;
using Granary.Repo;

namespace Granary.Skew;

/// <summary>
/// <c>granary skew</c>: reads a feature service's logged rows in a range, recomputes every feature
/// offline at each row's <c>__log_timestamp</c> (the point-in-time join, on-demand views with the
/// logged request fields) in one training-data request, and compares the two row by row. The logged
/// rows of the range are held in memory while the offline values stream past them.
/// </summary>
internal static class SkewAnalysis
{
    private const string RowTime = FeatureLogColumns.LogTimestamp;

    public static async Task<SkewReport> RunAsync(
        FeatureStore store, string service, DateTimeOffset? start, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var set = snapshot.Definitions;
        var definition = set.FindFeatureService(service) ?? throw new FeatureServiceNotFoundException(service);
        var logging = definition.Logging
            ?? throw new GranaryException($"feature service '{service}' has no logging; add logging: {{ sample_rate: 1.0 }} to it, apply, and serve reads first");
        var features = Statistics.ObservedFeature.Resolve(set, null, service);
        var featureColumns = features.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var keys = features.SelectMany(f => f.View switch
        {
            FeatureView v => set.JoinKeysOf(v.Entities),
            AggregationView v => set.JoinKeysOf(v.Entities),
            _ => [],
        }).Distinct(StringComparer.Ordinal).ToArray();

        var logged = await ReadLogsAsync(store, logging, service, start, end, cancellationToken).ConfigureAwait(false);
        var rows = logged.Sum(b => (long)b.Length);
        if (rows == 0)
        {
            return new SkewReport(service, start, end, 0, features.Select(f => Empty(f.Name)).ToArray());
        }

        // The entity rows: every logged column that is not a feature, its event time or status, or the log's own.
        bool IsLogColumn(string name) => name.StartsWith("__", StringComparison.Ordinal)
            || featureColumns.Contains(name)
            || (name.EndsWith("__timestamp", StringComparison.Ordinal) && featureColumns.Contains(name[..^"__timestamp".Length]))
            || (name.EndsWith("__status", StringComparison.Ordinal) && featureColumns.Contains(name[..^"__status".Length]));
        var entityColumns = logged.SelectMany(b => b.Schema.FieldsList).Select(f => f.Name).Where(n => !IsLogColumn(n))
            .Distinct(StringComparer.Ordinal).Append(RowTime).ToArray();

        var temp = Path.Combine(Path.GetTempPath(), $"granary-skew-{Guid.NewGuid():N}.parquet");
        try
        {
            await ArrowFileWriter.WriteAsync(temp, entityColumns, Project(logged, entityColumns), cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var offline = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
            {
                Entities = EntityInput.FromFile(temp),
                FeatureService = service,
                FullFeatureNames = true,
                TimestampColumn = RowTime,
                EventTimestamps = true,
            }, cancellationToken).ConfigureAwait(false);
            var tallies = features.Select(f => new Tally(f)).ToArray();
            var cursor = new LogCursor(logged);
            await foreach (var batch in offline.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var offlineColumns = features.Select(f => batch.Column(batch.Schema.GetFieldIndex(f.Name))).ToArray();
                var offlineTimes = features.Select(f => f.View is FeatureView
                    ? batch.Column(batch.Schema.GetFieldIndex(HistoricalFeaturesRequest.EventTimestampColumn(f.View.Name)))
                    : null).ToArray();
                for (var row = 0; row < batch.Length; row++, cursor.Next())
                {
                    for (var f = 0; f < tallies.Length; f++)
                    {
                        tallies[f].Add(cursor, keys, offlineColumns[f], offlineTimes[f], row);
                    }
                }
            }

            var times = logged.SelectMany(Times).ToArray();
            return new SkewReport(service, start ?? times.Min(), end ?? times.Max(), rows, tallies.Select(t => t.Result()).ToArray());
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static FeatureSkew Empty(string feature) =>
        new() { Feature = feature, Compared = 0, Matches = 0, Causes = new SkewCauses(0, 0, 0, 0), Examples = [] };

    /// <summary>The logged batches of the range, rows outside it dropped, in file order.</summary>
    private static async Task<List<RecordBatch>> ReadLogsAsync(
        FeatureStore store, FeatureLogging logging, string service, DateTimeOffset? start, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        var batches = new List<RecordBatch>();
        if (logging.Table is { } table)
        {
            // The offline store runs the query and streams it back: entity rows passed through without views.
            var where = string.Join(" AND ", new[]
            {
                start is { } s ? $"{RowTime} >= CAST('{Iso(s)}' AS timestamp with time zone)" : null,
                end is { } e ? $"{RowTime} <= CAST('{Iso(e)}' AS timestamp with time zone)" : null,
            }.OfType<string>());
            var sql = $"SELECT * FROM {table}{(where.Length == 0 ? string.Empty : " WHERE " + where)} ORDER BY {RowTime}";
            await using var result = await store.Offline.GetHistoricalFeaturesAsync(new HistoricalRequest(EntityInput.FromSql(sql), [], RowTime), cancellationToken).ConfigureAwait(false);
            await foreach (var batch in result.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                batches.Add(batch);
            }

            return batches;
        }

        var folder = RepoPaths.Resolve(store.Config.RepoPath, logging.Folder!, $"feature_service '{service}' logging.path");
        foreach (var file in FeatureLogColumns.Files(folder, start, end))
        {
            await using var reader = await EntityFileReader.OpenAsync(file, cancellationToken).ConfigureAwait(false);
            await foreach (var batch in reader.ReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (InRange(batch, start, end) is { Length: > 0 } kept)
                {
                    batches.Add(kept);
                }
            }
        }

        return batches;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<DateTimeOffset> Times(RecordBatch batch)
    {
        var times = batch.Column(batch.Schema.GetFieldIndex(RowTime));
        for (var row = 0; row < batch.Length; row++)
        {
            yield return (DateTimeOffset)ArrowBatches.GetValue(times, row)!;
        }
    }

    /// <summary>The batch's rows whose read time is in the range: the batch itself when all are.</summary>
    private static RecordBatch InRange(RecordBatch batch, DateTimeOffset? start, DateTimeOffset? end)
    {
        var keep = Times(batch).Select(t => (start is null || t >= start) && (end is null || t <= end)).ToArray();
        if (keep.All(k => k))
        {
            return batch;
        }

        var rows = Enumerable.Range(0, batch.Length).Where(r => keep[r]).ToArray();
        var columns = batch.Schema.FieldsList.Select((field, c) => (field.Name, ClrType(field.DataType),
            (IReadOnlyList<object?>)rows.Select(r => ArrowBatches.GetValue(batch.Column(c), r)).ToArray())).ToList();
        return ArrowBatches.FromColumns(columns, rows.Length);
    }

    /// <summary>The entity columns of each batch, in one layout: a column a batch lacks is null there.</summary>
    private static async IAsyncEnumerable<RecordBatch> Project(List<RecordBatch> batches, IReadOnlyList<string> columns)
    {
        var types = columns.ToDictionary(
            c => c, c => batches.Select(b => b.Schema.GetFieldIndex(c) is var i and >= 0 ? b.Schema.GetFieldByIndex(i).DataType : null).First(t => t is not null)!,
            StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            await Task.Yield();
            if (columns.All(c => batch.Schema.GetFieldIndex(c) >= 0))
            {
                var fields = columns.Select(c => batch.Schema.GetFieldByIndex(batch.Schema.GetFieldIndex(c)));
                yield return new RecordBatch(new Schema(fields, null), columns.Select(c => batch.Column(batch.Schema.GetFieldIndex(c))), batch.Length);
                continue;
            }

            yield return ArrowBatches.FromColumns(columns.Select(c => (c, ClrType(types[c]), (IReadOnlyList<object?>)Enumerable.Range(0, batch.Length)
                .Select(r => batch.Schema.GetFieldIndex(c) is var i and >= 0 ? ArrowBatches.GetValue(batch.Column(i), r) : null).ToArray())).ToList(), batch.Length);
        }
    }

    private static Type ClrType(Apache.Arrow.Types.IArrowType type) => type switch
    {
        Apache.Arrow.Types.Int64Type => typeof(long),
        Apache.Arrow.Types.Int32Type => typeof(int),
        Apache.Arrow.Types.DoubleType => typeof(double),
        Apache.Arrow.Types.FloatType => typeof(float),
        Apache.Arrow.Types.BooleanType => typeof(bool),
        Apache.Arrow.Types.BinaryType => typeof(byte[]),
        Apache.Arrow.Types.TimestampType => typeof(DateTimeOffset),
        _ => typeof(string),
    };

    /// <summary>
    /// Walks the logged rows in step with the offline result. Columns are found through a map built once per
    /// batch: Arrow's <c>Schema.GetFieldIndex</c> scans the fields, which per row and feature cost skew most of its time.
    /// </summary>
    private sealed class LogCursor
    {
        private readonly List<RecordBatch> _batches;
        private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
        private int _batch;

        public LogCursor(List<RecordBatch> batches)
        {
            _batches = batches;
            Map();
        }

        public int Row { get; private set; }

        public RecordBatch Batch => _batches[_batch];

        public void Next()
        {
            if (++Row >= _batches[_batch].Length)
            {
                Row = 0;
                _batch++;
                Map();
            }
        }

        public object? Value(string column) => _columns.TryGetValue(column, out var i) ? ArrowBatches.GetValue(Batch.Column(i), Row) : null;

        public bool Has(string column) => _columns.ContainsKey(column);

        private void Map()
        {
            _columns.Clear();
            if (_batch < _batches.Count)
            {
                var fields = _batches[_batch].Schema.FieldsList;
                for (var i = 0; i < fields.Count; i++)
                {
                    _columns[fields[i].Name] = i;
                }
            }
        }
    }

    /// <summary>One feature's counts as rows go by.</summary>
    private sealed class Tally(Statistics.ObservedFeature feature)
    {
        private readonly List<SkewExample> _examples = [];
        private long _compared;
        private long _matches;
        private long _valueDiffers;
        private long _stale;
        private long _onlineOnly;
        private long _offlineOnly;
        private double _smapeSum;
        private long _smapeRows;

        public void Add(LogCursor log, IReadOnlyList<string> keys, IArrowArray offlineValues, IArrowArray? offlineTimes, int row)
        {
            if (!log.Has(feature.Name))
            {
                // Logged before the feature was in the service: nothing was served to compare with.
                return;
            }

            _compared++;
            var online = log.Value(feature.Name);
            var offline = ArrowBatches.GetValue(offlineValues, row);
            if (SkewValues.SmapeTerm(online, offline, feature.Field.Dtype) is { } term)
            {
                _smapeSum += term;
                _smapeRows++;
            }

            if (SkewValues.Equal(online, offline, feature.Field.Dtype))
            {
                _matches++;
                return;
            }

            var onlineTime = log.Value(FeatureLogColumns.Timestamp(feature.Name)) as DateTimeOffset?;
            var offlineTime = offlineTimes is null ? null : ArrowBatches.GetValue(offlineTimes, row) as DateTimeOffset?;
            var cause = SkewValues.Cause(online, offline, onlineTime, offlineTime);
            switch (cause)
            {
                case SkewValues.OnlineOnly: _onlineOnly++; break;
                case SkewValues.OfflineOnly: _offlineOnly++; break;
                case SkewValues.StaleOnline: _stale++; break;
                default: _valueDiffers++; break;
            }

            if (_examples.Count < FeatureSkew.MaxExamples)
            {
                var entity = keys.Where(log.Has).ToDictionary(k => k, log.Value, StringComparer.Ordinal);
                _examples.Add(new SkewExample(
                    entity, (DateTimeOffset)log.Value(FeatureLogColumns.LogTimestamp)!, SkewValues.Shown(online), SkewValues.Shown(offline), onlineTime, offlineTime, cause));
            }
        }

        public FeatureSkew Result() => new()
        {
            Feature = feature.Name,
            Compared = _compared,
            Matches = _matches,
            Smape = _smapeRows == 0 ? null : _smapeSum / _smapeRows,
            Causes = new SkewCauses(_valueDiffers, _stale, _onlineOnly, _offlineOnly),
            Examples = _examples,
        };
    }
}
