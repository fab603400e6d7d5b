using Granary.Conformance;
using Granary.Definitions;
using Granary.ExampleBackend.Tests.Backend;
using Granary.Offline;
using Granary.Online;

namespace Granary.ExampleBackend.Tests;

/// <summary>The source-events suite on the example offline store: each source a folder of two CSV files.</summary>
public sealed class CsvFolderSourceEventsTests : SourceEventsTests
{
    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new CsvFolderOfflineStore(new CsvFolderOfflineStoreOptions { RepoPath = Folder, BatchSize = 3 }));

    protected override Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping) =>
        CsvFolders.CreateAsync(Folder, name, table, timestampField, createdColumn, fieldMapping);
}

/// <summary>The aggregation serving suite on the example backend alone: events in CSV folders that pushes add files to, states in memory.</summary>
public sealed class MemoryAggregationServingTests : AggregationServingTests
{
    private readonly string _database = "agg-" + Guid.NewGuid().ToString("N");

    protected override SourceKinds SourceKinds { get; } = new SourceKinds().Add(CsvFolderSource.SourceKind);

    // The in-memory join computes feature views only; its aggregation states are checked against the spec.
    protected override bool OfflineComputesAggregations => false;

    protected override Task<OfflineStore> CreateOfflineStoreAsync(string repoPath) =>
        Task.FromResult<OfflineStore>(new CsvFolderOfflineStore(new CsvFolderOfflineStoreOptions { RepoPath = repoPath, BatchSize = 7 }));

    protected override Task<OnlineStore> CreateOnlineStoreAsync(string repoPath) =>
        Task.FromResult<OnlineStore>(new MemoryOnlineStore(new MemoryOnlineStoreOptions { Database = _database }));

    protected override Task<DataSource> CreateSourceAsync(string repoPath, string name, TestTable table, string createdColumn) =>
        CsvFolders.CreateAsync(repoPath, name, table, "event_timestamp", createdColumn, null);
}

/// <summary>Writes a test table as a CSV folder source of two files.</summary>
internal static class CsvFolders
{
    public static async Task<DataSource> CreateAsync(
        string root, string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
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
