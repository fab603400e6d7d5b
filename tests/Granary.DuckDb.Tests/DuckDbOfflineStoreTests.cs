using DuckDB.NET.Data;
using Granary.Conformance;
using Granary.Definitions;
using Granary.DuckDb;
using Granary.Offline;

namespace Granary.DuckDb.Tests;

/// <summary>The offline conformance suite on DuckDB over Parquet files written by DuckDB itself.</summary>
public sealed class DuckDbOfflineStoreTests : OfflineStoreTests
{
    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = Folder }));

    protected override Task<DataSource> CreateSourceAsync(
        string name, TestTable table, string timestampField, string? createdColumn, IReadOnlyDictionary<string, string>? fieldMapping) =>
        ParquetFiles.SourceAsync(Folder, name, table, timestampField, createdColumn, fieldMapping);
}
