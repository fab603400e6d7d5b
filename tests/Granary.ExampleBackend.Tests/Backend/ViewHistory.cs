using Granary.Definitions;
using Granary.Offline;
using Granary.Online;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>
/// One view's rows of its source, grouped by entity key and sorted by event time then created time,
/// for the point-in-time join in plain C#: no SQL, so it doubles as an independent check of the SQL stores.
/// Rows without a key value or an event time can never be chosen and are left out.
/// </summary>
internal sealed class ViewHistory
{
    private readonly Dictionary<EntityKey, List<HistoryRow>> _byKey = [];

    public ViewHistory(ViewRequest view, CsvFolderTable table)
    {
        View = view;
        var source = view.Source;
        var keys = view.JoinKeys.Select(k => table.IndexOf(source.SourceColumn(k.Name))).ToArray();
        var eventTime = TimestampColumn(table, source.TimestampField, "timestamp_field");
        var created = source.CreatedTimestampColumn is { } name ? TimestampColumn(table, name, "created_timestamp_column") : -1;
        var features = view.Features.Select(f => table.IndexOf(source.SourceColumn(f.Field.Name))).ToArray();
        foreach (var row in table.Rows)
        {
            if (row[eventTime] is not DateTimeOffset time || keys.Any(k => row[k] is null))
            {
                continue;
            }

            var values = new object?[features.Length];
            for (var i = 0; i < features.Length; i++)
            {
                var feature = view.Features[i].Field;
                values[i] = FeatureValues.Convert(row[features[i]], feature.Dtype, feature.Name);
            }

            var key = new EntityKey(view.JoinKeys.Select(k => k.Name).ToArray(), keys.Select(k => row[k]!).ToArray());
            if (!_byKey.TryGetValue(key, out var rows))
            {
                _byKey[key] = rows = [];
            }

            rows.Add(new HistoryRow(time, created < 0 ? null : (DateTimeOffset?)row[created], values));
        }

        foreach (var rows in _byKey.Values)
        {
            // Stable: among rows equal in both times, the one written last (by file name, then line) is chosen.
            rows.Sort((a, b) => a.CompareTo(b));
        }
    }

    /// <summary>The view and the features read.</summary>
    public ViewRequest View { get; }

    /// <summary>
    /// The row of <paramref name="key"/> with the greatest event time not after <paramref name="asOf"/>
    /// (and, with a ttl, not before <paramref name="asOf"/> minus it), ties broken by the greatest
    /// created time (a missing created time is the least); null when there is none.
    /// </summary>
    public HistoryRow? AsOf(EntityKey key, DateTimeOffset asOf)
    {
        if (!_byKey.TryGetValue(key, out var rows))
        {
            return null;
        }

        var chosen = rows.LastOrDefault(r => r.EventTime <= asOf);
        var ttl = View.View.Ttl;
        return chosen is not null && ttl > TimeSpan.Zero && chosen.EventTime < asOf - ttl ? null : chosen;
    }

    /// <summary>Per key, the latest row with <paramref name="start"/> &lt;= event time &lt;= <paramref name="end"/> (ties by created time).</summary>
    public IEnumerable<(EntityKey Key, HistoryRow Row)> LatestIn(DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var (key, rows) in _byKey)
        {
            if (rows.LastOrDefault(r => r.EventTime <= end) is { } row && row.EventTime >= start)
            {
                yield return (key, row);
            }
        }
    }

    /// <summary>Every key with a row, as <see cref="AllEntitiesAsOf"/> lists them.</summary>
    public IEnumerable<EntityKey> Keys => _byKey.Keys;

    private static int TimestampColumn(CsvFolderTable table, string name, string key)
    {
        var index = table.IndexOf(table.Source.SourceColumn(name));
        var column = table.Source.Schema[index];
        return column.Dtype == new DataType(ScalarType.UnixTimestamp)
            ? index
            : throw new GranaryException($"{CsvFolderSource.KindName} '{table.Source.Name}': {key} '{name}' is {column.Dtype}; expected unix_timestamp");
    }
}
