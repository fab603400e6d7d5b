using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.DuckDb.Tests;

/// <summary>The entity-files conformance suite on DuckDB, which reads the files in place.</summary>
public sealed class DuckDbEntityFilesTests : EntityFilesTests
{
    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = Folder }));

    protected override Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping) =>
        ParquetFiles.SourceAsync(Folder, name, table, timestampField, createdColumn, fieldMapping);
}
