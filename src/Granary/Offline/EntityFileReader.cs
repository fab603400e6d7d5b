using Apache.Arrow;
using Granary.Definitions;

namespace Granary.Offline;

/// <summary>
/// The one reader of entity files: a <c>.csv</c> or <c>.parquet</c> file as Arrow record batches,
/// streamed a batch at a time (a CSV file is read twice, once to infer its column types and once
/// for its values; a Parquet file a row group at a time), never held whole. Every offline store that
/// loads entity rows, and the CLI's online entity files, read through it, so the same file gives the
/// same column types and values everywhere.
/// </summary>
/// <remarks>
/// <para><b>CSV.</b> UTF-8 (a byte-order mark is allowed), comma-separated, RFC 4180 quoting: a value
/// in double quotes may hold commas, quotes (doubled: <c>""</c>) and line breaks; quotes only
/// delimit, so <c>"42"</c> is read as <c>42</c> is. A quote inside an unquoted value, or a quoted
/// value that is not closed, is an error. Values are taken as they are, spaces included (no
/// trimming). The first line names the columns: names must be non-empty and distinct, and a first
/// line holding a number or a time (a data row without a header) is an error. Every row has as many
/// fields as the header; blank lines are skipped. A file with no header, or a header and no rows, is an error.</para>
/// <para>Column types are inferred per column from all of its values in the file:</para>
/// <list type="number">
/// <item>An empty field, quoted (<c>""</c>) or not, is null and does not take part.</item>
/// <item><c>bool</c> when every value is <c>true</c> or <c>false</c> in any letter case.</item>
/// <item>Else <c>int64</c> when every value is an optional sign and ASCII digits within
/// -9,223,372,036,854,775,808..9,223,372,036,854,775,807.</item>
/// <item>Else <c>float64</c> when every value is a decimal number with optional sign, fraction and
/// exponent (<c>-1.5e3</c>), <c>NaN</c> or <c>Infinity</c>; integers count as numbers here, so a column of
/// <c>1</c> and <c>2.5</c> is float64. An integer outside the int64 range makes the column string
/// instead, so that long identifiers keep every digit.</item>
/// <item>Else <c>unix_timestamp</c> when every value is ISO-8601: <c>YYYY-MM-DD</c>, optionally
/// followed by <c>T</c> or a space and <c>HH:MM[:SS[.fraction]]</c>, optionally followed by <c>Z</c>
/// or an offset <c>±HH[:MM]</c>. Without an offset the time is UTC; a date alone is midnight UTC.
/// Times are kept to the microsecond, finer digits are dropped.</item>
/// <item>Else <c>string</c>: a mixed column (<c>1</c> and <c>x</c>, <c>1</c> and <c>true</c>) is
/// string, and so is a column whose every value is empty.</item>
/// </list>
/// <para><b>Parquet.</b> Flat columns only (a list, map or struct column is an error), mapped as:
/// BOOLEAN to bool; INT32 and the 8- and 16-bit integers, signed or not, to int32; INT64 and
/// UINT32 to int64; UINT64 to int64 (a value beyond the int64 range is an error); FLOAT to float32;
/// DOUBLE and DECIMAL to float64; strings (UTF8, ENUM, JSON) to string; other byte arrays to bytes;
/// TIMESTAMP (any unit, adjusted to UTC or not: a time without a zone is UTC), INT96 and DATE
/// (midnight) to unix_timestamp, kept to the microsecond. TIME and INTERVAL are errors. A file without rows is an error.</para>
/// <para>Every error is a <see cref="GranaryException"/> whose message names the file and, for CSV,
/// the line (and column where one is at fault) and what was expected.</para>
/// </remarks>
public abstract class EntityFileReader : IAsyncDisposable
{
    private protected EntityFileReader(string path, Schema schema, IReadOnlyList<SourceColumn> columns, long rowCount)
    {
        Path = path;
        Schema = schema;
        Columns = columns;
        RowCount = rowCount;
    }

    /// <summary>The file's path, as given.</summary>
    public string Path { get; }

    /// <summary>Whether the file is Parquet (else CSV).</summary>
    public abstract bool IsParquet { get; }

    /// <summary>The Arrow schema of the batches: one field per column, in file order.</summary>
    public Schema Schema { get; }

    /// <summary>The columns with their Granary types, for <see cref="EntityRowsValidator"/>; the native type is the Granary type's name.</summary>
    public IReadOnlyList<SourceColumn> Columns { get; }

    /// <summary>The number of entity rows (at least one).</summary>
    public long RowCount { get; }

    /// <summary>Opens an entity file, chosen by extension; for CSV this reads the file once to infer the column types.</summary>
    /// <exception cref="GranaryException">The file is missing, empty, not of its format or breaks a rule above; the message names the file and line.</exception>
    public static async Task<EntityFileReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new GranaryException($"entity file '{path}' is a folder; name a .csv or .parquet file");
        }

        var extension = System.IO.Path.GetExtension(path).ToUpperInvariant();
        if (extension is not (".CSV" or ".PARQUET"))
        {
            throw new GranaryException($"entity file '{path}' must end in .parquet or .csv");
        }

        if (!File.Exists(path))
        {
            throw new GranaryException($"entity file '{path}' does not exist");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new GranaryException(extension == ".CSV"
                ? $"entity file '{path}' is empty; expected a header line naming the columns, then one line per entity row"
                : $"entity file '{path}' is empty; expected a Parquet file with entity rows");
        }

        return extension == ".CSV"
            ? await CsvEntityFileReader.CreateAsync(path, cancellationToken).ConfigureAwait(false)
            : await ParquetEntityFileReader.CreateAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams the rows as batches of at most <paramref name="batchSize"/> rows. Read once.</summary>
    /// <exception cref="GranaryException">The file changed since it was opened, or a value cannot be read; the message names the file.</exception>
    public abstract IAsyncEnumerable<RecordBatch> ReadAsync(int batchSize = ArrowBatches.DefaultBatchSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where a column breaks a type, for messages: such as <c>line 4 has 'abc'</c> for a CSV column
    /// read as string that was expected to be int64; null when the reader cannot point at a value.
    /// </summary>
    public virtual string? WhyNot(string column, DataType expected) => null;

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The Granary type that an Arrow type of this reader stands for.</summary>
    private protected static SourceColumn ColumnOf(Apache.Arrow.Field field)
    {
        var type = field.DataType switch
        {
            Apache.Arrow.Types.BooleanType => new DataType(ScalarType.Bool),
            Apache.Arrow.Types.Int32Type => new DataType(ScalarType.Int32),
            Apache.Arrow.Types.Int64Type => DataType.Int64,
            Apache.Arrow.Types.FloatType => new DataType(ScalarType.Float32),
            Apache.Arrow.Types.DoubleType => DataType.Float64,
            Apache.Arrow.Types.StringType => DataType.String,
            Apache.Arrow.Types.BinaryType => new DataType(ScalarType.Bytes),
            Apache.Arrow.Types.TimestampType => new DataType(ScalarType.UnixTimestamp),
            _ => throw new InvalidOperationException($"no Granary type for Arrow {field.DataType.Name}"),
        };
        return new SourceColumn(field.Name, type, type.Scalar == ScalarType.UnixTimestamp, type.ToString());
    }
}
