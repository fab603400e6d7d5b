using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Conformance;
using Granary.Offline;

namespace Granary.Tests.Offline;

/// <summary>
/// Several Parquet files as one table of entity rows, as stores that load entity rows from .NET read them: files
/// whose columns differ, renamed columns, and a time range that cuts a file; files written here, rows worked out by hand.
/// </summary>
public sealed class EntityFilesTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("granary-entityfiles-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DateTimeOffset At(int hour) => Day.AddHours(hour);

    private async Task<string> WriteAsync(string name, params (string Name, Type Type, IReadOnlyList<object?> Values)[] columns)
    {
        var path = Path.Combine(_folder, name);
        var batch = ArrowBatches.FromColumns(columns, columns[0].Values.Count);
        await ArrowFileWriter.WriteAsync(path, columns.Select(c => c.Name).ToArray(), One(batch));
        return path;
    }

    private static async IAsyncEnumerable<RecordBatch> One(RecordBatch batch)
    {
        await Task.Yield();
        yield return batch;
    }

    private async Task<(string First, string Second)> TwoFilesAsync() => (
        await WriteAsync("a.parquet",
            ("id", typeof(long), [1L, 2L, 3L]),
            ("t", typeof(DateTimeOffset), [At(10), At(11), At(12)]),
            ("x", typeof(double), [0.5, 1.5, 2.5])),
        await WriteAsync("b.parquet",
            ("id", typeof(long), [4L, 5L]),
            ("t", typeof(DateTimeOffset), [At(13), At(14)]),
            ("y", typeof(string), ["p", "q"])));

    private static readonly EntityFileColumn[] Columns = [new("id", "id"), new("t", "t"), new("served_x", "x"), new("y", "y")];

    [Fact]
    public async Task ReadAsync_FilesWithDifferentColumnsAndARangeThatCutsBoth_KeepsRowsInRangeInFileOrder()
    {
        var (first, second) = await TwoFilesAsync();
        var files = new EntityFiles([first, second], Columns) { From = At(11), To = At(13) };

        var rows = new List<Dictionary<string, object?>>();
        await foreach (var batch in files.ReadAsync("t"))
        {
            Assert.Equal(["id", "t", "served_x", "y"], batch.Schema.FieldsList.Select(f => f.Name));
            rows.AddRange(ResultRows.ToRows(batch));
        }

        // a.parquet from 11:00 (its 10:00 row is before the range), then b.parquet to 13:00 (both bounds kept);
        // x is null where the second file lacks it, y where the first does.
        Assert.Equal([2L, 3L, 4L], rows.Select(r => r["id"]));
        Assert.Equal([At(11), At(12), At(13)], rows.Select(r => r["t"]));
        Assert.Equal([1.5, 2.5, null], rows.Select(r => r["served_x"]));
        Assert.Equal([null, null, "p"], rows.Select(r => r["y"]));
    }

    [Fact]
    public async Task ReadAsync_NoRange_GivesEveryRowOfEveryFile()
    {
        var (first, second) = await TwoFilesAsync();

        var count = 0;
        await foreach (var batch in new EntityFiles([first, second], Columns).ReadAsync("t"))
        {
            count += batch.Length;
        }

        Assert.Equal(5, count);
    }

    [Fact]
    public async Task DescribeAsync_ColumnsOfDifferentFiles_TypesEachByTheFirstFileThatHasIt()
    {
        var (first, second) = await TwoFilesAsync();

        var schema = await new EntityFiles([first, second], Columns).DescribeAsync();

        Assert.Equal([ArrowTypeId.Int64, ArrowTypeId.Timestamp, ArrowTypeId.Double, ArrowTypeId.String], schema.FieldsList.Select(f => f.DataType.TypeId));
    }

    [Fact]
    public async Task DescribeAsync_ColumnInNoFile_NamesIt()
    {
        var (first, _) = await TwoFilesAsync();

        var error = await Assert.ThrowsAsync<GranaryException>(() => new EntityFiles([first], [new("id", "id"), new("z", "zz")]).DescribeAsync());

        Assert.Equal("entity files: no file has column 'zz' (for entity column 'z')", error.Message);
    }
}
