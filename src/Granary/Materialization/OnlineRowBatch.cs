using Apache.Arrow;
using Granary.Offline;
using Granary.Online;

namespace Granary.Materialization;

/// <summary>Turns a batch pulled from the offline store into rows for the online store.</summary>
internal static class OnlineRowBatch
{
    public static List<OnlineRow> From(RecordBatch batch, ViewRequest view)
    {
        var keyNames = view.JoinKeys.Select(k => k.Name).ToArray();
        var keyColumns = keyNames.Select(n => batch.Column(batch.Schema.GetFieldIndex(n))).ToArray();
        var time = batch.Column(batch.Schema.GetFieldIndex(OfflineStore.EventTimestampColumn));
        var features = view.Features.Select(f => batch.Column(batch.Schema.GetFieldIndex(f.OutputName))).ToArray();
        var rows = new List<OnlineRow>(batch.Length);
        for (var r = 0; r < batch.Length; r++)
        {
            var keyValues = new object[keyColumns.Length];
            for (var k = 0; k < keyColumns.Length; k++)
            {
                keyValues[k] = EntityValues.Convert(ArrowBatches.GetValue(keyColumns[k], r), view.JoinKeys[k].Type, keyNames[k]);
            }

            var values = new object?[features.Length];
            for (var f = 0; f < features.Length; f++)
            {
                values[f] = ArrowBatches.GetValue(features[f], r);
            }

            rows.Add(new OnlineRow(new EntityKey(keyNames, keyValues), (DateTimeOffset)ArrowBatches.GetValue(time, r)!, values));
        }

        return rows;
    }
}
