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
    public async Task Offline_NoOfflineSectionAndNoDefaultInstalled_NamesTheInstalledTypes()
    {
        await using var store = new FeatureStoreBuilder(Config(string.Empty)).AddOfflineStore("warehouse", Unused).AddOfflineStore("lake", Unused).Build();

        var error = Assert.Throws<GranaryException>(() => store.Offline);

        Assert.Equal("granary.yaml: offline_store: no type given and no installed backend is a default; expected one of: lake, warehouse", error.Message);
    }

    [Fact]
    public async Task Offline_UnknownType_NamesLineAndTheInstalledTypes()
    {
        await using var store = new FeatureStoreBuilder(Config("offline_store:\n  type: spark\n")).AddOfflineStore("warehouse", Unused).Build();

        var error = Assert.Throws<GranaryException>(() => store.Offline);

        Assert.Equal(
            "granary.yaml:3:9: offline_store.type: unknown type 'spark'; expected one of: warehouse (a backend package adds its types to the host)",
            error.Message);
    }

    [Fact]
    public async Task Offline_NoOfflineSection_BuildsTheFirstDefault()
    {
        string? built = null;
        var builder = new FeatureStoreBuilder(Config(string.Empty))
            .AddOfflineStore("lake", context =>
            {
                built = context.Section.Type;
                throw new InvalidOperationException("stop here");
            }, isDefault: true)
            .AddOfflineStore("warehouse", Unused, isDefault: true);

        await using var store = builder.Build();

        Assert.Null(built);
        Assert.Throws<InvalidOperationException>(() => store.Offline);
        Assert.Equal("lake", built);
    }

    [Fact]
    public async Task Build_OfflineBackendNotInstalled_ServesOnlineWithoutIt()
    {
        // A serving host installs only its online backend: the store builds, and only offline work names what is missing.
        await using var store = new FeatureStoreBuilder(Config("offline_store: { type: duckdb }\n")).Build();

        Assert.Equal("p", store.Project);
        var error = Assert.Throws<GranaryException>(() => store.Offline);
        Assert.Equal("granary.yaml:2:24: offline_store.type: unknown type 'duckdb'; none is installed (a backend package adds its types to the host)", error.Message);
    }

    [Fact]
    public void Build_SqlRegistryWithoutADialectInstalled_SaysWhichToAdd()
    {
        var builder = new FeatureStoreBuilder(Config("registry: { type: sql }\n"));

        var error = Assert.Throws<GranaryException>(builder.Build);

        Assert.Equal("granary.yaml:2:19: registry.type: unknown type 'sql'; expected one of: file (a backend package adds its types to the host)", error.Message);
    }
}
