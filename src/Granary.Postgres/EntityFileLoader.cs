using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Parquet;
using Parquet.Schema;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

/// <summary>
/// Loads an entity file (.csv or .parquet) into a temp table with binary COPY, streaming: the file
/// is never held whole. A row-number column keeps the input order. CSV column types are inferred
/// from every value (a first pass over the file): bool, bigint, double precision, timestamptz
/// (ISO-8601 text, with or without an offset; without one it is UTC) or text.
/// </summary>
internal static partial class EntityFileLoader
{
    public static async Task LoadAsync(NpgsqlConnection connection, string path, string table, string rowColumn, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new GranaryException($"entity file '{path}' does not exist");
        }

        switch (Path.GetExtension(path).ToUpperInvariant())
        {
            case ".CSV":
                var columns = await InferCsvColumnsAsync(path, cancellationToken).ConfigureAwait(false);
                await CopyAsync(connection, table, rowColumn, columns, ReadCsvAsync(path, columns, cancellationToken), cancellationToken).ConfigureAwait(false);
                break;
            case ".PARQUET":
                await using (var reader = await OpenParquetAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    var parquetColumns = reader.Schema.Fields.Select(ParquetColumn).ToArray();
                    await CopyAsync(connection, table, rowColumn, parquetColumns, ReadParquetAsync(reader, cancellationToken), cancellationToken).ConfigureAwait(false);
                }

                break;
            default:
                throw new GranaryException($"entity file '{path}' must end in .parquet or .csv");
        }
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, string table, string rowColumn, IReadOnlyList<CopyColumn> columns,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var definitions = string.Join(", ", columns.Select(c => $"{Id(c.Name)} {c.SqlType}"));
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE {Id(table)} ({Id(rowColumn)} bigint NOT NULL, {definitions})", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var names = string.Join(", ", columns.Select(c => Id(c.Name)));
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {Id(table)} ({Id(rowColumn)}, {names}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        long row = 0;
        await foreach (var values in rows.ConfigureAwait(false))
        {
            await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(row++, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < columns.Count; i++)
            {
                if (values[i] is { } value)
                {
                    await writer.WriteAsync(value, columns[i].DbType, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CopyColumn[]> InferCsvColumnsAsync(string path, CancellationToken cancellationToken)
    {
        using var csv = new CsvReader(new StreamReader(path));
        var header = await csv.ReadRecordAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new GranaryException($"entity file '{path}' is empty; its first line must name the columns");
        var kinds = header.Select(_ => new KindCandidates()).ToArray();
        while (await csv.ReadRecordAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            CheckWidth(path, csv, header, record);
            for (var i = 0; i < record.Length; i++)
            {
                kinds[i].Observe(record[i]);
            }
        }

        return header.Select((name, i) => string.IsNullOrEmpty(name)
            ? throw new GranaryException($"entity file '{path}': column {i + 1} of the header has no name")
            : kinds[i].Column(name)).ToArray();
    }

    private static async IAsyncEnumerable<object?[]> ReadCsvAsync(string path, CopyColumn[] columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var csv = new CsvReader(new StreamReader(path));
        var header = (await csv.ReadRecordAsync(cancellationToken).ConfigureAwait(false))!;
        while (await csv.ReadRecordAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            CheckWidth(path, csv, header, record);
            var values = new object?[columns.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = record[i] is { } text ? columns[i].Parse!(text) : null;
            }

            yield return values;
        }
    }

    private static void CheckWidth(string path, CsvReader csv, string?[] header, string?[] record)
    {
        if (record.Length != header.Length)
        {
            throw new GranaryException($"entity file '{path}' line {csv.Line}: {record.Length} fields, but the header has {header.Length}");
        }
    }

    private static async Task<ParquetReader> OpenParquetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(path, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new GranaryException($"entity file '{path}' is not a readable Parquet file ({e.Message})", e);
        }
    }

    private static CopyColumn ParquetColumn(Field field)
    {
        if (field is not DataField data || data.IsArray)
        {
            throw new GranaryException($"entity file: column '{field.Name}' is nested or a list; entity rows hold scalar columns only");
        }

        var type = data.ClrType;
        return type switch
        {
            _ when type == typeof(long) => new(field.Name, "bigint", NpgsqlDbType.Bigint),
            _ when type == typeof(int) || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort) =>
                new(field.Name, "integer", NpgsqlDbType.Integer),
            _ when type == typeof(uint) || type == typeof(ulong) => new(field.Name, "bigint", NpgsqlDbType.Bigint),
            _ when type == typeof(double) => new(field.Name, "double precision", NpgsqlDbType.Double),
            _ when type == typeof(float) => new(field.Name, "real", NpgsqlDbType.Real),
            _ when type == typeof(decimal) => new(field.Name, "numeric", NpgsqlDbType.Numeric),
            _ when type == typeof(bool) => new(field.Name, "boolean", NpgsqlDbType.Boolean),
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => new(field.Name, "text", NpgsqlDbType.Text),
            _ when type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) => new(field.Name, "bytea", NpgsqlDbType.Bytea),
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) =>
                new(field.Name, "timestamptz", NpgsqlDbType.TimestampTz),
            _ => throw new GranaryException($"entity file: column '{field.Name}' has the Parquet type {type.Name}, which entity rows do not support"),
        };
    }

    private static async IAsyncEnumerable<object?[]> ReadParquetAsync(ParquetReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fields = reader.Schema.GetDataFields();
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            var count = checked((int)rowGroup.RowCount);
            var columns = new object?[fields.Length][];
            for (var i = 0; i < fields.Length; i++)
            {
                columns[i] = await ParquetColumns.ReadAsync(rowGroup, fields[i], count, cancellationToken).ConfigureAwait(false);
            }

            for (var row = 0; row < count; row++)
            {
                var values = new object?[fields.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = ToCopyValue(columns[i][row]);
                }

                yield return values;
            }
        }
    }

    private static object? ToCopyValue(object? value) => value switch
    {
        DateTime { Kind: DateTimeKind.Unspecified } t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateTime t => t.ToUniversalTime(),
        DateTimeOffset t => t.UtcDateTime,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        sbyte or byte or short or ushort => Convert.ToInt32(value, CultureInfo.InvariantCulture),
        uint or ulong => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>Parses an ISO-8601 timestamp; without an offset it is UTC.</summary>
    internal static bool TryParseTimestamp(string text, out DateTime utc)
    {
        utc = default;
        var match = TimestampPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        // .NET wants minutes in an offset: +02 becomes +02:00.
        var normalized = match.Groups["offset"].Value is { Length: 3 } shortOffset
            ? string.Concat(text.AsSpan().Trim()[..^3], shortOffset, ":00")
            : text.Trim();
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        utc = parsed.UtcDateTime;
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?\s*(?<offset>Z|[+-]\d{2}(:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    /// <summary>A column of the temp table: its name, SQL type, COPY type and, for CSV, how to parse a field.</summary>
    private sealed record CopyColumn(string Name, string SqlType, NpgsqlDbType DbType, Func<string, object>? Parse = null);

    /// <summary>Narrows a CSV column's type as values are seen: bool, then integer, float, timestamp, else text.</summary>
    private sealed class KindCandidates
    {
        private bool _any;
        private bool _bool = true;
        private bool _long = true;
        private bool _double = true;
        private bool _timestamp = true;

        public void Observe(string? value)
        {
            if (value is null)
            {
                return;
            }

            _any = true;
            _bool = _bool && bool.TryParse(value, out _);
            _long = _long && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            _double = _double && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            _timestamp = _timestamp && TryParseTimestamp(value, out _);
        }

        public CopyColumn Column(string name) => !_any ? new(name, "text", NpgsqlDbType.Text, s => s)
            : _bool ? new(name, "boolean", NpgsqlDbType.Boolean, s => bool.Parse(s))
            : _long ? new(name, "bigint", NpgsqlDbType.Bigint, s => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))
            : _double ? new(name, "double precision", NpgsqlDbType.Double, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))
            : _timestamp ? new(name, "timestamptz", NpgsqlDbType.TimestampTz, s => TryParseTimestamp(s, out var t) ? t : throw new FormatException(s))
            : new(name, "text", NpgsqlDbType.Text, s => s);
    }
}
