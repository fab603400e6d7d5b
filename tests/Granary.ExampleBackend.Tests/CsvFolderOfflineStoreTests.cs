using Granary.Conformance;
using Granary.Definitions;
using Granary.ExampleBackend.Tests.Backend;
using Granary.Offline;

namespace Granary.ExampleBackend.Tests;

/// <summary>
/// The offline conformance suite on the example store: each source a folder of two CSV files (the
/// table's rows split between them), batches of three rows so that results span several batches.
/// </summary>
public sealed class CsvFolderOfflineStoreTests : OfflineStoreTests
{
    protected override bool RunsEntitySql => false;

    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new CsvFolderOfflineStore(new CsvFolderOfflineStoreOptions { RepoPath = Folder, BatchSize = 3 }));

    protected override async Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Folder, name)).FullName;
        var half = table.Rows.Count / 2;
        await File.WriteAllTextAsync(Path.Combine(folder, "part-0.csv"), (table with { Rows = table.Rows.Take(half).ToArray() }).ToCsv());
        await File.WriteAllTextAsync(Path.Combine(folder, "part-1.csv"), (table with { Rows = table.Rows.Skip(half).ToArray() }).ToCsv());
        return new CsvFolderSource
        {
            Name = name,
            Folder = name,
            Schema = table.Columns.Select(c => new Field { Name = c.Name, Dtype = c.Type }).ToArray(),
            TimestampField = timestampField,
            CreatedTimestampColumn = createdColumn,
            FieldMapping = fieldMapping ?? new Dictionary<string, string>(),
        };
    }
}
