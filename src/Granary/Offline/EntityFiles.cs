using System.Runtime.CompilerServices;
using Apache.Arrow;

namespace Granary.Offline;

/// <summary>
/// Entity rows read straight from several Parquet files, as one table in file order: each of
/// <see cref="Columns"/> matched by name in every file (null in a file that lacks it, typed by the
/// first file that has it, as <see cref="EntityFileReader"/> types it), and only the rows whose entity
/// time (the request's timestamp column) is within <see cref="From"/>..<see cref="To"/>, both inclusive.
/// What <c>granary skew</c> joins a feature log with, without rewriting the log first.
/// </summary>
/// <param name="Paths">The files' absolute paths, in the order their rows come.</param>
/// <param name="Columns">The entity columns, in output order; every one must be in at least one file.</param>
public sealed record EntityFiles(IReadOnlyList<string> Paths, IReadOnlyList<EntityFileColumn> Columns) : EntityInput
{
    /// <summary>The earliest entity time kept; none when null.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The latest entity time kept; none when null.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The entity rows' columns with their types (the first file that has a column types it).</summary>
    /// <exception cref="GranaryException">A file cannot be read, or no file has a column.</exception>
    public async Task<Schema> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var types = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var path in Paths)
        {
            await using var file = await EntityFileReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (var field in file.Schema.FieldsList)
            {
                types.TryAdd(field.Name, field);
            }

            if (Columns.All(c => types.ContainsKey(c.Source)))
            {
                break;
            }
        }

        return new Schema(Columns.Select(c => types.TryGetValue(c.Source, out var field)
            ? new Field(c.Name, field.DataType, nullable: true)
            : throw new GranaryException($"entity files: no file has column '{c.Source}' (for entity column '{c.Name}')")), null);
    }

    /// <summary>
    /// The entity rows as batches in the layout <see cref="DescribeAsync"/> gives, a file batch at a time: for
    /// stores that load entity rows from .NET rather than read the files themselves.
    /// </summary>
    /// <param name="timestampColumn">The entity time column (an entity column name) that the range applies to.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async IAsyncEnumerable<RecordBatch> ReadAsync(string timestampColumn, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var schema = await DescribeAsync(cancellationToken).ConfigureAwait(false);
        var time = Columns.FirstOrDefault(c => c.Name == timestampColumn)?.Source;
        foreach (var path in Paths)
        {
            await using var file = await EntityFileReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            await foreach (var batch in file.ReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var keep = Kept(batch, time);
                if (keep is { Count: 0 })
                {
                    continue;
                }

                if (keep is null && Columns.Select((c, i) => batch.Schema.GetFieldIndex(c.Source) is var at and >= 0
                    && batch.Schema.GetFieldByIndex(at).DataType.TypeId == schema.GetFieldByIndex(i).DataType.TypeId).All(same => same))
                {
                    // Every row and column: the file's arrays under the entity names, not copied.
                    yield return new RecordBatch(schema, Columns.Select(c => batch.Column(batch.Schema.GetFieldIndex(c.Source))), batch.Length);
                    continue;
                }

                var rows = keep ?? Enumerable.Range(0, batch.Length).ToList();
                yield return ArrowBatches.FromColumns(schema.FieldsList.Select((field, i) =>
                {
                    var source = batch.Schema.GetFieldIndex(Columns[i].Source);
                    IReadOnlyList<object?> values = source < 0
                        ? new object?[rows.Count]
                        : rows.Select(r => ArrowBatches.GetValue(batch.Column(source), r)).ToArray();
                    return (field.Name, ClrType(field.DataType), values);
                }).ToList(), rows.Count);
            }
        }
    }

    /// <summary>The rows of <paramref name="batch"/> in the range; null when all are.</summary>
    private List<int>? Kept(RecordBatch batch, string? timeColumn)
    {
        var index = timeColumn is null ? -1 : batch.Schema.GetFieldIndex(timeColumn);
        if ((From is null && To is null) || index < 0)
        {
            return null;
        }

        var times = batch.Column(index);
        var keep = new List<int>(batch.Length);
        for (var row = 0; row < batch.Length; row++)
        {
            if (ArrowBatches.GetValue(times, row) is DateTimeOffset t && (From is null || t >= From) && (To is null || t <= To))
            {
                keep.Add(row);
            }
        }

        return keep.Count == batch.Length ? null : keep;
    }

    /// <summary>The .NET type <see cref="ArrowBatches.FromColumns"/> builds an Arrow type from (log and entity files hold only these).</summary>
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
}
