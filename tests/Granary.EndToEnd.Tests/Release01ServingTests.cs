using Granary.Online;
using Granary.Repo;
using Granary.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Granary.EndToEnd.Tests;

/// <summary>
/// The facade over what Granary 0.1 wrote (tests/fixtures/release-0.1): the same definitions, registry
/// and online store serve what 0.1 served, stored on-demand results included (their storage is
/// named by a hash of the computation, which must not move between releases).
/// </summary>
public sealed class Release01ServingTests : IDisposable
{
    private readonly Release01Fixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task GetOnlineFeatures_StoreWrittenBy01_ServesWhat01Served()
    {
        var builder = new FeatureStoreBuilder(FeatureRepo.LoadConfig(_fixture.RepoPath)).AddDuckDb().AddSqlite();
        builder.TimeProvider = new FakeTimeProvider(Release01Fixture.MaterializedUntil.AddMinutes(30));
        await using var store = builder.Build();

        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            FeatureService = "driver_ranking",
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L], ["val_to_add"] = [5L] },
        });

        // The values 0.1's get-online-features printed right after materializing (see the fixture's README).
        Assert.Equal(["driver_id", "conv_rate", "avg_daily_trips", "conv_rate_plus_val", "quality"], response.FeatureNames);
        Assert.Equal(0.78182375f, response.Results[1].Values[0]);
        Assert.Equal(615L, response.Results[2].Values[0]);
        Assert.Equal(5.781823635101318, response.Results[3].Values[0]);
        Assert.Equal(0.7914566576480865, response.Results[4].Values[0]);
        Assert.All(response.Results.Skip(1), column => Assert.Equal(FeatureStatus.Present, column.Statuses[0]));
        Assert.Equal(Release01Fixture.MaterializedUntil, response.Results[4].EventTimestamps[0]);
    }
}
