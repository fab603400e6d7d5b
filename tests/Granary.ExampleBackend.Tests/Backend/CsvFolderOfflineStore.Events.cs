using System.Runtime.CompilerServices;
using Apache.Arrow;
using Granary.Offline;
using Granary.Online;

namespace Granary.ExampleBackend.Tests.Backend;

public sealed partial class CsvFolderOfflineStore
{
    /// <inheritdoc/>
    /// <remarks>Reads the source's folder whole, filters and sorts in memory.</remarks>
    public override async IAsyncEnumerable<RecordBatch> PullEventsAsync(
        EventsRequest request, DateTimeOffset start, DateTimeOffset end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = request.Source;
        var table = await CsvFolderTable.ReadAsync(_options.RepoPath, Csv(source), cancellationToken).ConfigureAwait(false);
        var names = request.JoinKeys.Select(k => k.Name).ToArray();
        var keys = request.JoinKeys.Select(k => table.IndexOf(source.SourceColumn(k.Name))).ToArray();
        var time = table.IndexOf(source.SourceColumn(source.TimestampField));
        var created = source.CreatedTimestampColumn is { } c ? table.IndexOf(source.SourceColumn(c)) : -1;
        var columns = request.Columns.Select(f => table.IndexOf(source.SourceColumn(f.Name))).ToArray();
        var events = table.Rows
            .Where(r => r[time] is DateTimeOffset t && t >= start && t < end && keys.All(k => r[k] is not null))
            .Select(r => (
                Key: new EntityKey(names, keys.Select((k, i) => EntityValues.Convert(r[k], request.JoinKeys[i].Type, names[i])).ToArray()),
                Time: (DateTimeOffset)r[time]!,
                Created: created < 0 ? null : (DateTimeOffset?)r[created],
                Row: r))
            .OrderBy(e => e.Key, Comparer<EntityKey>.Create(CompareKeys))
            .ThenBy(e => e.Time)
            .ThenBy(e => e.Created ?? DateTimeOffset.MinValue)
            .ToArray();
        foreach (var chunk in events.Chunk(_options.BatchSize))
        {
            yield return ArrowBatches.FromColumns(
                [
                    .. request.JoinKeys.Select((k, i) => (k.Name, FeatureValueCodec.ClrTypeOf(k.Type), (IReadOnlyList<object?>)chunk.Select(e => e.Key.Values[i]).ToArray())),
                    (EventTimestampColumn, typeof(DateTimeOffset), chunk.Select(e => (object?)e.Time).ToArray()),
                    (CreatedTimestampColumn, typeof(DateTimeOffset), chunk.Select(e => (object?)e.Created).ToArray()),
                    .. request.Columns.Select((f, j) => (f.Name, FeatureValueCodec.ClrTypeOf(f.Dtype),
                        (IReadOnlyList<object?>)chunk.Select(e => FeatureValues.Convert(e.Row[columns[j]], f.Dtype, f.Name)).ToArray())),
                ],
                chunk.Length);
        }
    }
}
