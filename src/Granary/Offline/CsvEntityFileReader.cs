using System.Runtime.CompilerServices;
using Apache.Arrow;
using Granary.Definitions;

namespace Granary.Offline;

/// <summary>A CSV entity file: the first pass (on opening) checks it and infers the column types, the second streams its values.</summary>
internal sealed class CsvEntityFileReader : EntityFileReader
{
    private readonly CsvColumnType[] _types;
    private readonly string[] _names;

    private CsvEntityFileReader(string path, CsvColumnType[] types, long rowCount)
        : base(path, SchemaOf(types), types.Select(t => ColumnOf(FieldOf(t))).ToArray(), rowCount)
    {
        _types = types;
        _names = types.Select(t => t.Name).ToArray();
    }

    /// <inheritdoc/>
    public override bool IsParquet => false;

    public static async Task<CsvEntityFileReader> CreateAsync(string path, CancellationToken cancellationToken)
    {
        using var rows = await CsvRows.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        if (!await rows.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new GranaryException($"entity file '{path}' has only blank lines; expected a header line naming the columns, then one line per entity row");
        }

        var headerLine = rows.Line;
        var types = Header(rows);
        var names = types.Select(t => t.Name).ToArray();
        long count = 0;
        while (await rows.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            Observe(rows, names, headerLine, types);
            count++;
        }

        if (count == 0)
        {
            throw new GranaryException(
                $"entity file '{path}' has a header (line {headerLine}: {string.Join(",", names)}) but no rows; expected one line per entity row after it");
        }

        return new CsvEntityFileReader(path, types, count);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<RecordBatch> ReadAsync(
        int batchSize = ArrowBatches.DefaultBatchSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var rows = await CsvRows.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        if (!await rows.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            throw Changed();
        }

        var headerLine = rows.Line;
        var builders = _types.Select(t => t.CreateBuilder()).ToArray();
        var count = 0;
        long total = 0;
        while (await rows.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            Append(rows, headerLine, builders);
            total++;
            if (++count == batchSize)
            {
                yield return new RecordBatch(Schema, builders.Select(b => b.Build()), count);
                count = 0;
            }
        }

        if (total != RowCount)
        {
            throw Changed();
        }

        if (count > 0)
        {
            yield return new RecordBatch(Schema, builders.Select(b => b.Build()), count);
        }
    }

    /// <inheritdoc/>
    public override string? WhyNot(string column, DataType expected)
    {
        var type = _types.FirstOrDefault(t => t.Name == column);
        if (type is null || expected.IsList)
        {
            return null;
        }

        var culprit = expected.Scalar switch
        {
            ScalarType.Bool => type.NotBool,
            ScalarType.Int32 or ScalarType.Int64 => type.NotInt64,
            ScalarType.Float32 or ScalarType.Float64 => type.NotFloat64,
            ScalarType.UnixTimestamp => type.NotTimestamp,
            _ => null,
        };
        return culprit is { } c ? $"line {c.Line}, column {type.Index + 1} ({type.Name}): '{c.Value}'" : null;
    }

    private static CsvColumnType[] Header(CsvRows rows)
    {
        var types = new CsvColumnType[rows.FieldCount];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < types.Length; i++)
        {
            var name = rows.TryGetValue(i, string.Empty, out var value) ? value.ToString() : string.Empty;
            if (name.Length == 0)
            {
                throw rows.Error(rows.Line, i, null, "the header has an empty column name; the first line must name every column");
            }

            if (CsvColumnType.LooksLikeValue(name))
            {
                throw rows.Error(rows.Line, i, null,
                    $"'{name}' is a value, not a column name; the first line must name the columns, such as driver_id,event_timestamp");
            }

            if (!seen.TryAdd(name, i))
            {
                throw rows.Error(rows.Line, -1, null, $"the header names column '{name}' twice (columns {seen[name] + 1} and {i + 1})");
            }

            types[i] = new CsvColumnType(name, i);
        }

        return types;
    }

    private static void Observe(CsvRows rows, string[] names, int headerLine, CsvColumnType[] types)
    {
        rows.CheckWidth(names, headerLine);
        var line = rows.Line;
        for (var i = 0; i < types.Length; i++)
        {
            if (rows.TryGetValue(i, names[i], out var value))
            {
                types[i].Observe(value, line);
            }
        }
    }

    private void Append(CsvRows rows, int headerLine, CsvColumnType.ColumnBuilder[] builders)
    {
        rows.CheckWidth(_names, headerLine);
        for (var i = 0; i < builders.Length; i++)
        {
            if (!rows.TryGetValue(i, _names[i], out var value))
            {
                builders[i].AppendNull();
            }
            else if (!builders[i].TryAppend(value))
            {
                throw Changed();
            }
        }
    }

    private GranaryException Changed() => new($"entity file '{Path}' changed while it was being read; read it again");

    private static Schema SchemaOf(CsvColumnType[] types) => new(types.Select(FieldOf), null);

    private static Apache.Arrow.Field FieldOf(CsvColumnType type) => new(type.Name, type.ArrowType, nullable: true);
}
