using Granary.Definitions;
using Granary.Registry;
using Granary.Repo;
using Granary.Testing;

namespace Granary.Tests.Registry;

/// <summary>The registry file written by Granary 0.1 (tests/fixtures/release-0.1) reads, compares and writes in 0.2.</summary>
public sealed class Release01RegistryTests : IDisposable
{
    private readonly Release01Fixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Get_RegistryWrittenBy01_HoldsEveryObjectAndInterval()
    {
        await using var registry = new FileRegistry(_fixture.RegistryJsonPath);

        var snapshot = (await registry.GetAsync("upgrade_fixture"))!;

        Assert.Equal(1, snapshot.Version);
        var set = snapshot.Definitions;
        Assert.Equal(["driver", "rider"], set.Entities.Select(e => e.Name));
        Assert.Equal(DataType.String, set.FindEntity("rider")!.ValueType);
        Assert.Equal(["driver_stats", "driver_stats_renamed", "driver_stats_push"], set.Sources.Select(s => s.Name));
        Assert.Equal("trips", Assert.IsType<FileSource>(set.FindSource("driver_stats_renamed")).FieldMapping["avg_daily_trips"]);
        Assert.Equal("driver_stats", Assert.IsType<PushSource>(set.FindSource("driver_stats_push")).BatchSource);
        Assert.Equal(["trip_request"], set.RequestSources.Select(s => s.Name));
        Assert.Equal(["driver_hourly_stats", "driver_trips", "driver_pushed_stats"], set.FeatureViews.Select(v => v.Name));
        Assert.Equal((TimeSpan.FromHours(12), false), (set.FindFeatureView("driver_trips")!.Ttl, set.FindFeatureView("driver_trips")!.Online));
        Assert.Equal(["driver_adjusted", "driver_quality"], set.OnDemandFeatureViews.Select(v => v.Name));
        Assert.True(set.FindOnDemandFeatureView("driver_quality")!.WriteToOnlineStore);
        Assert.Equal("0.7", set.FindOnDemandFeatureView("driver_quality")!.Constants["weights"]["conv"]);
        Assert.Equal(["driver_activity", "driver_ranking"], set.FeatureServices.Select(s => s.Name));
        Assert.Equal(["conv_rate", "avg_daily_trips"], set.FindFeatureService("driver_ranking")!.Features[0].Features);
        Assert.Equal(["driver_hourly_stats", "driver_pushed_stats"], snapshot.Materializations.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Release01Fixture.MaterializedUntil, snapshot.LastMaterializedEnd("driver_hourly_stats"));
        Assert.Equal(2, snapshot.Materializations["driver_hourly_stats"].Count);
    }

    [Fact]
    public async Task Plan_RepoThatWroteTheRegistry_HasNoChanges()
    {
        await using var registry = new FileRegistry(_fixture.RegistryJsonPath);
        var registered = (await registry.GetAsync("upgrade_fixture"))!.Definitions;

        var diff = RegistryDiff.Compute(registered, FeatureRepo.LoadDefinitions(_fixture.RepoPath));

        Assert.True(diff.IsEmpty, string.Join(", ", diff.Created.Concat(diff.Updated).Concat(diff.Deleted).Select(d => $"{d.Kind} {d.Name}")));
    }

    [Fact]
    public async Task Get_ProjectWithASourceKindNoBackendAdded_NamesTheTypeAndThePackage()
    {
        await using var registry = new FileRegistry(_fixture.RegistryJsonPath);

        var error = await Assert.ThrowsAnyAsync<GranaryException>(() => registry.GetAsync("warehouse"));

        Assert.Contains("a source of type 'postgres', which no installed backend reads (known: file, push)", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddPostgres()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_OnARegistryWrittenBy01_KeepsFormatOtherProjectsAndIntervals()
    {
        var kinds = new SourceKinds().Add(Conformance.WarehouseSource.SourceKind);
        await using (var registry = new FileRegistry(_fixture.RegistryJsonPath))
        {
            var snapshot = (await registry.GetAsync("upgrade_fixture"))!;
            var changed = snapshot.Definitions with { Entities = [.. snapshot.Definitions.Entities, new Entity { Name = "city", JoinKeys = ["city_id"] }] };
            Assert.Equal(2, (await registry.ApplyAsync("upgrade_fixture", changed, 1)).Version);
        }

        var json = await File.ReadAllTextAsync(_fixture.RegistryJsonPath);
        Assert.StartsWith("{\n  \"format\": 1,", json.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"warehouse\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"postgres\"", json, StringComparison.Ordinal);
        await using var reread = new FileRegistry(_fixture.RegistryJsonPath);
        Assert.Equal(2, (await reread.GetAsync("upgrade_fixture"))!.Materializations.Count);
    }

    [Theory]
    [InlineData(2, "has format 2, written by a newer Granary; this one reads format 1")]
    [InlineData(0, "has format 0, which no Granary wrote; expected 1")]
    public async Task Get_FileOfAnotherFormat_Refuses(int format, string expected)
    {
        var json = await File.ReadAllTextAsync(_fixture.RegistryJsonPath);
        await File.WriteAllTextAsync(_fixture.RegistryJsonPath, json.Replace("\"format\": 1", $"\"format\": {format}", StringComparison.Ordinal));
        await using var registry = new FileRegistry(_fixture.RegistryJsonPath);

        var error = await Assert.ThrowsAsync<GranaryException>(() => registry.GetAsync("upgrade_fixture"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RegistryPathIsAFolder_SaysSoInOneLine()
    {
        await using var registry = new FileRegistry(_fixture.RepoPath);

        var error = await Assert.ThrowsAsync<GranaryException>(() => registry.GetAsync("upgrade_fixture"));

        Assert.Contains("the registry path is a folder", error.Message, StringComparison.Ordinal);
    }
}
