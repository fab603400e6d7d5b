using Granary.Conformance;
using Granary.Definitions;
using Granary.Registry;

namespace Granary.Sqlite.Tests;

/// <summary>The registry conformance suite on a SQLite file; each test has its own file.</summary>
public sealed class SqliteSqlRegistryTests : RegistryTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-sqlreg-" + Guid.NewGuid().ToString("N"));

    protected override Task<FeatureRegistry> CreateRegistryAsync(TimeProvider time, SourceKinds sourceKinds)
    {
        Directory.CreateDirectory(_folder);
        return Task.FromResult<FeatureRegistry>(new SqliteRegistryOptions { Path = Path.Combine(_folder, "registry.db") }.CreateRegistry(time, sourceKinds));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
