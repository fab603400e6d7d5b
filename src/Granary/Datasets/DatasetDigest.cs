using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Apache.Arrow;
using Granary.Offline;

namespace Granary.Datasets;

/// <summary>
/// The SHA-256 of a dataset's content: the column names in order, then every row's values in a
/// canonical form (integers as 64-bit, floats as 64-bit, times as microseconds, strings as UTF-8,
/// nulls marked), so that the same rows give the same digest however the file was laid out (row
/// groups, compression, writer). One digest per column as well, to tell which columns changed.
/// </summary>
public sealed class DatasetDigest : IDisposable
{
    private readonly IncrementalHash _rows = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash[] _columns;
    private readonly string[] _names;
    private readonly byte[] _scratch = new byte[9];

    /// <summary>Starts a digest of rows with the columns <paramref name="names"/>.</summary>
    public DatasetDigest(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = [.. names];
        _columns = _names.Select(_ => IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).ToArray();
        foreach (var name in _names)
        {
            WriteText(_rows, name);
        }
    }

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Adds a batch whose columns are the digest's, in order.</summary>
    public void Add(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.ColumnCount != _names.Length)
        {
            throw new ArgumentException($"the batch has {batch.ColumnCount} columns, the digest {_names.Length}", nameof(batch));
        }

        for (var row = 0; row < batch.Length; row++)
        {
            for (var c = 0; c < _names.Length; c++)
            {
                var value = ArrowBatches.GetValue(batch.Column(c), row);
                WriteValue(_rows, value);
                WriteValue(_columns[c], value);
            }
        }

        Rows += batch.Length;
    }

    /// <summary>The digest of everything added, as lower-case hex.</summary>
    public string Finish() => Convert.ToHexStringLower(_rows.GetCurrentHash());

    /// <summary>Each column's digest, by name.</summary>
    public IReadOnlyDictionary<string, string> FinishColumns() =>
        _names.Select((n, i) => (n, Convert.ToHexStringLower(_columns[i].GetCurrentHash()))).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);

    /// <summary>
    /// The digest of a Parquet or CSV file's rows (as <see cref="EntityFileReader"/> reads them), and the
    /// least and greatest value of <paramref name="timeColumn"/> when one is named; a file without rows
    /// has the digest of its columns alone.
    /// </summary>
    public static async Task<Content> OfFileAsync(string path, IReadOnlyList<string> columns, string? timeColumn, CancellationToken cancellationToken = default)
    {
        using var digest = new DatasetDigest(columns);
        DateTimeOffset? first = null, last = null;
        if (new FileInfo(path).Length > 0 && !await IsEmptyParquetAsync(path, cancellationToken).ConfigureAwait(false))
        {
            await using var reader = await EntityFileReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            var time = timeColumn is null ? -1 : reader.Schema.GetFieldIndex(timeColumn);
            await foreach (var batch in reader.ReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                digest.Add(batch);
                for (var row = 0; time >= 0 && row < batch.Length; row++)
                {
                    if (ArrowBatches.GetValue(batch.Column(time), row) is DateTimeOffset t)
                    {
                        first = first is null || t < first ? t : first;
                        last = last is null || t > last ? t : last;
                    }
                }
            }
        }

        return new Content(digest.Finish(), digest.Rows, digest.FinishColumns(), first is null ? null : (first.Value, last!.Value));
    }

    /// <summary>A file's content digest, rows, per-column digests and time range.</summary>
    public sealed record Content(string Sha256, long Rows, IReadOnlyDictionary<string, string> Columns, (DateTimeOffset Start, DateTimeOffset End)? TimeRange);

    /// <summary>The SHA-256 of a file's bytes, as lower-case hex.</summary>
    public static async Task<string> OfBytesAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _rows.Dispose();
        foreach (var column in _columns)
        {
            column.Dispose();
        }
    }

    private static async Task<bool> IsEmptyParquetAsync(string path, CancellationToken cancellationToken)
    {
        if (!path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        await using var stream = File.OpenRead(path);
        await using var reader = await Parquet.ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return reader.Metadata?.NumRows == 0;
    }

    private void WriteValue(IncrementalHash hash, object? value)
    {
        switch (value)
        {
            case null:
                hash.AppendData([0]);
                break;
            case long or int:
                WriteTagged(hash, (byte)'i', Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double or float:
                WriteTagged(hash, (byte)'d', BitConverter.DoubleToInt64Bits(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case bool b:
                hash.AppendData([(byte)'b', b ? (byte)1 : (byte)0]);
                break;
            case DateTimeOffset t:
                WriteTagged(hash, (byte)'t', (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);
                break;
            case string s:
                hash.AppendData([(byte)'s']);
                WriteText(hash, s);
                break;
            case byte[] bytes:
                WriteTagged(hash, (byte)'x', bytes.Length);
                hash.AppendData(bytes);
                break;
            case System.Collections.IEnumerable items:
                var list = items.Cast<object?>().ToList();
                WriteTagged(hash, (byte)'L', list.Count);
                foreach (var item in list)
                {
                    WriteValue(hash, item);
                }

                break;
            default:
                throw new InvalidOperationException($"no canonical form for {value.GetType().Name}");
        }
    }

    private void WriteTagged(IncrementalHash hash, byte tag, long value)
    {
        _scratch[0] = tag;
        BinaryPrimitives.WriteInt64LittleEndian(_scratch.AsSpan(1), value);
        hash.AppendData(_scratch);
    }

    private void WriteText(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteTagged(hash, (byte)'n', bytes.Length);
        hash.AppendData(bytes);
    }
}
