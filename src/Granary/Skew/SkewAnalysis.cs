using Apache.Arrow;
using Granary.Definitions;
using Granary.FeatureLogs;
using Granary.Offline;
using Granary.Repo;

namespace Granary.Skew;

/// <summary>
/// <c>granary skew</c>: one streamed pass over a feature service's logged rows in a range. The log is
/// the entity input of one training-data request (files read by the offline store itself, or a query
/// of the log table), every feature recomputed at each row's <c>__log_timestamp</c> (the point-in-time
/// join, on-demand views with the logged request fields), and the served values passed through the join
/// under other names; so each output batch holds a row's served and offline values side by side and is
/// compared as it comes. Nothing is held but the counts and a few examples per feature.
/// </summary>
internal static class SkewAnalysis
{
    private const string RowTime = FeatureLogColumns.LogTimestamp;

    // Entity columns never start with "__" (log columns do, and are not entity columns), so these cannot clash.
    private const string ServedPrefix = "__skew_served__";
    private const string ServedTimePrefix = "__skew_served_ts__";
    private const string LoggedPrefix = "__skew_logged__";

    public static async Task<SkewReport> RunAsync(
        FeatureStore store, string service, DateTimeOffset? start, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var set = snapshot.Definitions;
        var definition = set.FindFeatureService(service) ?? throw new FeatureServiceNotFoundException(service);
        var logging = definition.Logging
            ?? throw new GranaryException($"feature service '{service}' has no logging; add logging: {{ sample_rate: 1.0 }} to it, apply, and serve reads first");
        var features = Statistics.ObservedFeature.Resolve(set, null, service);
        var keys = features.SelectMany(f => f.View switch
        {
            FeatureView v => set.JoinKeysOf(v.Entities),
            AggregationView v => set.JoinKeysOf(v.Entities),
            _ => [],
        }).Distinct(StringComparer.Ordinal).ToArray();

        var log = await LogInputAsync(store, logging, service, features, start, end, cancellationToken).ConfigureAwait(false);
        var tallies = features.Select(f => new SkewTally(f)).ToArray();
        long rows = 0;
        DateTimeOffset? first = null, last = null;
        if (log is not null)
        {
            await using var offline = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
            {
                Entities = log,
                FeatureService = service,
                FullFeatureNames = true,
                TimestampColumn = RowTime,
                EventTimestamps = true,

                // Rows are counted, not listed: the store need not sort them (examples are chosen independently of order).
                PreserveEntityOrder = false,
            }, cancellationToken).ConfigureAwait(false);
            await foreach (var read in offline.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Each batch's native buffers go back as soon as it is counted, not when a finalizer gets to them.
                using var batch = read;
                var columns = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < batch.Schema.FieldsList.Count; i++)
                {
                    columns[batch.Schema.FieldsList[i].Name] = i;
                }

                var rowTimes = (TimestampArray)batch.Column(columns[RowTime]);
                var rowKeys = keys.Where(columns.ContainsKey).Select(k => (k, batch.Column(columns[k]))).ToArray();
                var context = new SkewTally.Rows(rowKeys, rowTimes);
                foreach (var tally in tallies)
                {
                    tally.Add(
                        columns.TryGetValue(ServedPrefix + tally.Feature, out var served) ? batch.Column(served) : null,
                        columns.TryGetValue(ServedTimePrefix + tally.Feature, out var servedTime) ? batch.Column(servedTime) : null,
                        columns.TryGetValue(LoggedPrefix + tally.Feature, out var logged) ? batch.Column(logged) : null,
                        batch.Column(columns[tally.Feature]),
                        tally.View is FeatureView && columns.TryGetValue(HistoricalFeaturesRequest.EventTimestampColumn(tally.View.Name), out var offlineTime)
                            ? batch.Column(offlineTime) : null,
                        context);
                }

                rows += batch.Length;
                if (Extremes(rowTimes) is var (low, high))
                {
                    first = first is null || low < first ? low : first;
                    last = last is null || high > last ? high : last;
                }
            }
        }

        return rows == 0
            ? new SkewReport(service, start, end, 0, features.Select(f => Empty(f.Name)).ToArray())
            : new SkewReport(service, start ?? first, end ?? last, rows, tallies.Select(t => t.Result()).ToArray());
    }

    /// <summary>The earliest and latest times of a column, read through its raw values (one unit throughout).</summary>
    private static (DateTimeOffset, DateTimeOffset)? Extremes(TimestampArray times)
    {
        int low = -1, high = -1;
        var values = times.Values;
        for (var row = 0; row < times.Length; row++)
        {
            if (times.IsValid(row))
            {
                low = low < 0 || values[row] < values[low] ? row : low;
                high = high < 0 || values[row] > values[high] ? row : high;
            }
        }

        return low < 0 ? null : (times.GetTimestamp(low)!.Value.ToUniversalTime(), times.GetTimestamp(high)!.Value.ToUniversalTime());
    }

    private static FeatureSkew Empty(string feature) =>
        new() { Feature = feature, Compared = 0, Matches = 0, Causes = new SkewCauses(0, 0, 0, 0), Examples = [] };

    /// <summary>
    /// The log as entity rows: every logged column that is not a feature, its event time or status, or the log's
    /// own (join keys and request fields, under their names), the read time, and per feature logged anywhere its
    /// served value and event time under <see cref="ServedPrefix"/> and <see cref="ServedTimePrefix"/>; null when
    /// there is no log to read. A feature that only some files have also brings its status (never null where the
    /// feature was logged), which tells a row logged without the feature from one served a null.
    /// </summary>
    private static async Task<EntityInput?> LogInputAsync(
        FeatureStore store, FeatureLogging logging, string service, IReadOnlyList<Statistics.ObservedFeature> features,
        DateTimeOffset? start, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        var featureColumns = features.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        bool IsLogColumn(string name) => name.StartsWith("__", StringComparison.Ordinal)
            || featureColumns.Contains(name)
            || (name.EndsWith("__timestamp", StringComparison.Ordinal) && featureColumns.Contains(name[..^"__timestamp".Length]))
            || (name.EndsWith("__status", StringComparison.Ordinal) && featureColumns.Contains(name[..^"__status".Length]));

        if (logging.Table is { } table)
        {
            // The table's columns, from a query of no rows; every row has every column the table has.
            IReadOnlyList<string> names;
            await using (var empty = await store.Offline.GetHistoricalFeaturesAsync(
                new HistoricalRequest(EntityInput.FromSql($"SELECT * FROM {table} WHERE 1 = 0"), [], RowTime), cancellationToken).ConfigureAwait(false))
            {
                names = empty.ColumnNames;
            }

            var tableColumns = Columns(names, IsLogColumn, features, partial: new HashSet<string>());
            var where = string.Join(" AND ", new[]
            {
                start is { } s ? $"{Quote(RowTime)} >= CAST('{Iso(s)}' AS timestamp with time zone)" : null,
                end is { } e ? $"{Quote(RowTime)} <= CAST('{Iso(e)}' AS timestamp with time zone)" : null,
            }.OfType<string>());
            var select = string.Join(", ", tableColumns.Select(c => c.Name == c.Source ? Quote(c.Name) : $"{Quote(c.Source)} AS {Quote(c.Name)}"));
            var sql = $"SELECT {select} FROM {table}{(where.Length == 0 ? string.Empty : " WHERE " + where)}";
            return EntityInput.FromSql(sql);
        }

        var folder = RepoPaths.Resolve(store.Config.RepoPath, logging.Folder!, $"feature_service '{service}' logging.path");
        var files = FeatureLogColumns.Files(folder, start, end);
        if (files.Count == 0)
        {
            return null;
        }

        // Each file's columns, from its footer: a log file's columns are those of the apply it was written under.
        var fileColumns = new List<HashSet<string>>();
        var all = new List<string>();
        foreach (var file in files)
        {
            await using var reader = await EntityFileReader.OpenAsync(file, cancellationToken).ConfigureAwait(false);
            var names = reader.Schema.FieldsList.Select(f => f.Name).ToArray();
            fileColumns.Add(names.ToHashSet(StringComparer.Ordinal));
            all.AddRange(names.Where(n => !all.Contains(n, StringComparer.Ordinal)));
        }

        var partial = featureColumns.Where(f => fileColumns.Any(c => c.Contains(f)) && !fileColumns.All(c => c.Contains(f))).ToHashSet(StringComparer.Ordinal);
        var columns = Columns(all, IsLogColumn, features, partial);
        return EntityInput.FromFiles(files, columns, Microseconds(start, up: true), Microseconds(end, up: false));
    }

    private static List<EntityFileColumn> Columns(
        IReadOnlyList<string> logColumns, Func<string, bool> isLogColumn, IReadOnlyList<Statistics.ObservedFeature> features, IReadOnlySet<string> partial)
    {
        var present = logColumns.ToHashSet(StringComparer.Ordinal);
        var columns = logColumns.Where(n => !isLogColumn(n)).Append(RowTime).Select(n => new EntityFileColumn(n, n)).ToList();
        foreach (var feature in features.Where(f => present.Contains(f.Name)))
        {
            columns.Add(new EntityFileColumn(ServedPrefix + feature.Name, feature.Name));
            if (present.Contains(FeatureLogColumns.Timestamp(feature.Name)))
            {
                columns.Add(new EntityFileColumn(ServedTimePrefix + feature.Name, FeatureLogColumns.Timestamp(feature.Name)));
            }

            if (partial.Contains(feature.Name))
            {
                columns.Add(new EntityFileColumn(LoggedPrefix + feature.Name, FeatureLogColumns.Status(feature.Name)));
            }
        }

        return columns;
    }

    /// <summary>A range bound at the microsecond that stores keep times to, rounded so that the range never widens.</summary>
    private static DateTimeOffset? Microseconds(DateTimeOffset? time, bool up)
    {
        if (time is not { } t)
        {
            return null;
        }

        var extra = t.UtcTicks % 10;
        return extra == 0 ? t : new DateTimeOffset(t.UtcTicks - extra + (up ? 10 : 0), TimeSpan.Zero);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
