using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.DuckDb.Tests;

/// <summary>The statistics suite on DuckDB over Parquet files.</summary>
public sealed class DuckDbStatisticsTests : OfflineStatisticsTests
{
    protected override Task<OfflineStore> CreateStoreAsync() =>
        Task.FromResult<OfflineStore>(new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = Folder }));

    protected override Task<DataSource> CreateSourceAsync(string name, TestTable table, IReadOnlyDictionary<string, string>? fieldMapping = null) =>
        ParquetFiles.SourceAsync(Folder, name, table, fieldMapping: fieldMapping);
}
