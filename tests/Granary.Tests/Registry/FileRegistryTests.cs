using Granary.Conformance;
using Granary.Definitions;
using Granary.Registry;

namespace Granary.Tests.Registry;

/// <summary>The registry conformance suite on the JSON file registry; each test has its own file.</summary>
public sealed class FileRegistryTests : RegistryTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-registry-" + Guid.NewGuid().ToString("N"));

    protected override Task<FeatureRegistry> CreateRegistryAsync(TimeProvider time, SourceKinds sourceKinds) =>
        Task.FromResult<FeatureRegistry>(new FileRegistry(Path.Combine(_folder, "registry.json"), time, sourceKinds));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
