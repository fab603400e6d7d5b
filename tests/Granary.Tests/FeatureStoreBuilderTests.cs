using Granary.Offline;
using Granary.Repo;

namespace Granary.Tests;

/// <summary>How the builder chooses stores by the <c>type</c> of each section among those the host's backends added.</summary>
public sealed class FeatureStoreBuilderTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-builder-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private RepoConfig Config(string yaml)
    {
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), $"project: p\n{yaml}");
        return FeatureRepo.LoadConfig(_repo);
    }

    private static OfflineStore Unused(StoreContext context) => throw new InvalidOperationException("not built in this test");

    [Fact]
    public void Build_NoOfflineSectionAndNoDefaultInstalled_NamesTheInstalledTypes()
    {
        var builder = new FeatureStoreBuilder(Config(string.Empty)).AddOfflineStore("warehouse", Unused).AddOfflineStore("lake", Unused);

        var error = Assert.Throws<GranaryException>(builder.Build);

        Assert.Equal("granary.yaml: offline_store: no type given and no installed backend is a default; expected one of: lake, warehouse", error.Message);
    }

    [Fact]
    public void Build_UnknownType_NamesLineAndTheInstalledTypes()
    {
        var builder = new FeatureStoreBuilder(Config("offline_store:\n  type: spark\n")).AddOfflineStore("warehouse", Unused);

        var error = Assert.Throws<GranaryException>(builder.Build);

        Assert.Equal(
            "granary.yaml:3:9: offline_store.type: unknown type 'spark'; expected one of: warehouse (a backend package adds its types to the host)",
            error.Message);
    }

    [Fact]
    public void Build_NoOfflineSection_BuildsTheFirstDefault()
    {
        string? built = null;
        var builder = new FeatureStoreBuilder(Config(string.Empty))
            .AddOfflineStore("lake", context =>
            {
                built = context.Section.Type;
                throw new InvalidOperationException("stop here");
            }, isDefault: true)
            .AddOfflineStore("warehouse", Unused, isDefault: true);

        Assert.Throws<InvalidOperationException>(builder.Build);
        Assert.Equal("lake", built);
    }

    [Fact]
    public void Build_SqlRegistryWithoutADialectInstalled_SaysWhichToAdd()
    {
        var builder = new FeatureStoreBuilder(Config("registry: { type: sql }\n"));

        var error = Assert.Throws<GranaryException>(builder.Build);

        Assert.Equal("granary.yaml:2:19: registry.type: unknown type 'sql'; expected one of: file (a backend package adds its types to the host)", error.Message);
    }
}
