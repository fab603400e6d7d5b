using Granary.Offline;

namespace Granary.Tests.Offline;

/// <summary>The one writer of result files: what it refuses, and that it leaves no half-written file.</summary>
public sealed class ResultFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("granary-resultfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<long> WriteAsync(string path, ResultFileOptions options, string text = "a\n1\n") =>
        ResultFile.WriteAsync(path, options, async (temp, format, token) =>
        {
            Assert.Equal(ResultFileFormat.Csv, format);
            await File.WriteAllTextAsync(temp, text, token);
            return 1;
        });

    [Fact]
    public async Task WriteAsync_NewFile_AppearsWithoutTempFiles()
    {
        var path = Path.Combine(_folder, "out.csv");

        var rows = await WriteAsync(path, new ResultFileOptions { Overwrite = false });

        Assert.Equal(1, rows);
        Assert.Equal("a\n1\n", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task WriteAsync_PathIsAFolder_FailsWithOneLine()
    {
        var folder = Path.Combine(_folder, "training.parquet");
        Directory.CreateDirectory(folder);

        var named = await Assert.ThrowsAsync<GranaryException>(() => WriteAsync(folder, ResultFileOptions.Default));
        var slashed = await Assert.ThrowsAsync<GranaryException>(() => WriteAsync(_folder + "/", ResultFileOptions.Default));

        Assert.Equal($"output '{folder}' is a folder; name a .parquet or .csv file to write", named.Message);
        Assert.Equal($"output '{_folder}/' is a folder; name a .parquet or .csv file to write", slashed.Message);
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WriteAsync_ExistingFileWithoutOverwrite_IsKeptAndTheMessageSaysForce()
    {
        var path = Path.Combine(_folder, "out.csv");
        await File.WriteAllTextAsync(path, "keep me");

        var error = await Assert.ThrowsAsync<GranaryException>(() => WriteAsync(path, new ResultFileOptions { Overwrite = false }));

        Assert.Equal($"output '{path}' exists; use --force to replace it", error.Message);
        Assert.Equal("keep me", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task WriteAsync_ExistingFileWithOverwrite_IsReplaced()
    {
        var path = Path.Combine(_folder, "out.csv");
        await File.WriteAllTextAsync(path, "old");

        await WriteAsync(path, new ResultFileOptions { Overwrite = true }, "new\n");

        Assert.Equal("new\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task WriteAsync_ProtectedFileOrGlobMatch_IsRefusedEvenWithOverwrite()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        var entities = Path.Combine(_folder, "orders.csv");
        await File.WriteAllTextAsync(entities, "driver_id\n1\n");
        var options = new ResultFileOptions
        {
            Overwrite = true,
            Protected = [ProtectedFile.Of(entities, "the entity input"), new ProtectedFile(_folder, "data/*.csv", "a file of file_source 's' (data/*.csv)")],
        };

        var input = await Assert.ThrowsAsync<GranaryException>(() => WriteAsync(Path.Combine(_folder, ".", "orders.csv"), options));
        var glob = await Assert.ThrowsAsync<GranaryException>(() => WriteAsync(Path.Combine(_folder, "data", "new.csv"), options));

        Assert.EndsWith("orders.csv' is the entity input; refusing to overwrite it, name another file", input.Message, StringComparison.Ordinal);
        Assert.EndsWith("new.csv' is a file of file_source 's' (data/*.csv); refusing to overwrite it, name another file", glob.Message, StringComparison.Ordinal);
        Assert.Equal("driver_id\n1\n", await File.ReadAllTextAsync(entities));
        Assert.False(File.Exists(Path.Combine(_folder, "data", "new.csv")));
    }

    [Fact]
    public async Task WriteAsync_SymlinkToProtectedFile_IsRefused()
    {
        var entities = Path.Combine(_folder, "orders.csv");
        await File.WriteAllTextAsync(entities, "driver_id\n1\n");
        var link = Path.Combine(_folder, "link.csv");
        File.CreateSymbolicLink(link, entities);

        var error = await Assert.ThrowsAsync<GranaryException>(() =>
            WriteAsync(link, new ResultFileOptions { Protected = [ProtectedFile.Of(entities, "the entity input")] }));

        Assert.Contains("is the entity input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_WriterFails_LeavesNoTempFileAndKeepsTheOldFile()
    {
        var path = Path.Combine(_folder, "out.csv");
        await File.WriteAllTextAsync(path, "old");

        await Assert.ThrowsAsync<InvalidOperationException>(() => ResultFile.WriteAsync(path, ResultFileOptions.Default, async (temp, _, token) =>
        {
            await File.WriteAllTextAsync(temp, "half", token);
            throw new InvalidOperationException("broken");
        }));

        Assert.Equal([path], Directory.GetFiles(_folder));
        Assert.Equal("old", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public void Check_WrongExtensionOrMissingFolder_SaysWhich()
    {
        var extension = Assert.Throws<GranaryException>(() => ResultFile.Check(Path.Combine(_folder, "out.txt"), ResultFileOptions.Default));
        var folder = Assert.Throws<GranaryException>(() => ResultFile.Check(Path.Combine(_folder, "no", "out.csv"), ResultFileOptions.Default));

        Assert.EndsWith("must end in .parquet or .csv", extension.Message, StringComparison.Ordinal);
        Assert.Equal($"output folder '{Path.Combine(_folder, "no")}' does not exist", folder.Message);
    }
}
