using Parquet;
using Parquet.Schema;

namespace Granary.Postgres;

/// <summary>Reads a flat Parquet column of a row group as .NET objects, whatever its CLR type.</summary>
internal static class ParquetColumns
{
    public static async Task<object?[]> ReadAsync(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[count];
            await rowGroup.ReadAsync(field, strings.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return strings;
        }

        if (type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>))
        {
            var bytes = new byte[]?[count];
            await rowGroup.ReadAsync(field, bytes.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return bytes;
        }

        return type switch
        {
            _ when type == typeof(long) => await ReadStructAsync<long>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(int) => await ReadStructAsync<int>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(short) => await ReadStructAsync<short>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(sbyte) => await ReadStructAsync<sbyte>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(byte) => await ReadStructAsync<byte>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(ushort) => await ReadStructAsync<ushort>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(uint) => await ReadStructAsync<uint>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(ulong) => await ReadStructAsync<ulong>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(double) => await ReadStructAsync<double>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(float) => await ReadStructAsync<float>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(decimal) => await ReadStructAsync<decimal>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(bool) => await ReadStructAsync<bool>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateTime) => await ReadStructAsync<DateTime>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateTimeOffset) => await ReadStructAsync<DateTimeOffset>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateOnly) => await ReadStructAsync<DateOnly>(rowGroup, field, count, cancellationToken).ConfigureAwait(false),
            _ => throw new GranaryException($"Parquet column '{field.Name}' has the type {type.Name}, which is not supported"),
        };
    }

    private static async Task<object?[]> ReadStructAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        var result = new object?[count];
        if (field.IsNullable)
        {
            var values = new T?[count];
            await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                result[i] = values[i];
            }
        }
        else
        {
            var values = new T[count];
            await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                result[i] = values[i];
            }
        }

        return result;
    }
}
