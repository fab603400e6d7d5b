using Apache.Arrow;
using Granary.Offline;

namespace Granary.Conformance;

/// <summary>Reads a retrieval result into rows keyed by column name, for assertions.</summary>
public static class ResultRows
{
    /// <summary>All rows of the result, in order.</summary>
    public static async Task<List<Dictionary<string, object?>>> ReadAllAsync(RetrievalResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<Dictionary<string, object?>>();
        await foreach (var batch in result.ReadAsync())
        {
            rows.AddRange(ToRows(batch));
        }

        return rows;
    }

    /// <summary>The rows of one batch.</summary>
    public static IEnumerable<Dictionary<string, object?>> ToRows(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var row = 0; row < batch.Length; row++)
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var column = 0; column < batch.ColumnCount; column++)
            {
                values[batch.Schema.GetFieldByIndex(column).Name] = ArrowBatches.GetValue(batch.Column(column), row);
            }

            yield return values;
        }
    }
}
