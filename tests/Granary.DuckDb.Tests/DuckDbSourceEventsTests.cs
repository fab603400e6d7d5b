using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.DuckDb.Tests;

/// <summary>The source-events suite on DuckDB over Parquet files.</summary>
public sealed class DuckDbSourceEventsTests : SourceEventsTests
{
    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = Folder }));

    protected override Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping) =>
        ParquetFiles.SourceAsync(Folder, name, table, timestampField, createdColumn, fieldMapping);
}
