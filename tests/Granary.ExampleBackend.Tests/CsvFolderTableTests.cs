using Granary.Definitions;
using Granary.ExampleBackend.Tests.Backend;

namespace Granary.ExampleBackend.Tests;

/// <summary>How the example store reads a source's folder: what a file must look like, and each mistake named with its file and line.</summary>
public sealed class CsvFolderTableTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-csv-table-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private static readonly CsvFolderSource Source = new()
    {
        Name = "trips",
        Folder = "data/trips",
        Schema = [new Field { Name = "driver_id", Dtype = DataType.Int64 }, new Field { Name = "event_timestamp", Dtype = new DataType(ScalarType.UnixTimestamp) }],
    };

    private async Task<GranaryException> DescribeFailsAsync(string csv)
    {
        Directory.CreateDirectory(Path.Combine(_repo, "data", "trips"));
        await File.WriteAllTextAsync(Path.Combine(_repo, "data", "trips", "a.csv"), csv);
        await using var store = new CsvFolderOfflineStore(new CsvFolderOfflineStoreOptions { RepoPath = _repo });
        return await Assert.ThrowsAsync<GranaryException>(() => store.DescribeSourceAsync(Source));
    }

    [Fact]
    public async Task DescribeSource_HeaderWithAnUndeclaredColumn_NamesFileLineOneAndTheColumnsExpected()
    {
        var error = await DescribeFailsAsync("driver_id,ts\n1,2021-04-12T00:00:00Z\n");

        Assert.Equal("data/trips/a.csv:1: the header names driver_id, ts; expected each column of csv_folder_source 'trips' once: driver_id, event_timestamp", error.Message);
    }

    [Fact]
    public async Task DescribeSource_RowWithAnExtraField_NamesFileAndLine()
    {
        var error = await DescribeFailsAsync("event_timestamp,driver_id\n2021-04-12T00:00:00Z,1\n\n2021-04-12T00:00:00Z,2,x\n");

        Assert.Equal("data/trips/a.csv:4: 3 fields, but the header (line 1) has 2", error.Message);
    }

    [Fact]
    public async Task DescribeSource_NoFolder_SaysWhichFolder()
    {
        await using var store = new CsvFolderOfflineStore(new CsvFolderOfflineStoreOptions { RepoPath = _repo });

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.DescribeSourceAsync(Source));

        Assert.Equal("folder 'data/trips' does not exist", error.Message);
    }

    [Fact]
    public async Task DescribeSource_FolderLeavingTheRepo_IsRefused()
    {
        await using var store = new CsvFolderOfflineStore(new CsvFolderOfflineStoreOptions { RepoPath = _repo });

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.DescribeSourceAsync(Source with { Folder = "../elsewhere" }));

        Assert.Equal("csv_folder_source 'trips' folder: '../elsewhere' leaves the repo folder", error.Message);
    }
}
