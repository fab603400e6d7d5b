using Granary.Definitions;
using Granary.Registry;

namespace Granary.Tests.Registry;

public sealed class PerApplyCacheTests
{
    private static readonly DateTimeOffset At = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RegistrySnapshot Snapshot(long version, DateTimeOffset updatedAt) =>
        new() { Project = "p", Version = version, UpdatedAt = updatedAt, Definitions = new DefinitionSet() };

    [Fact]
    public void Of_AnotherSnapshotOfTheSameApply_KeepsTheValues()
    {
        var cache = new PerApplyCache<string, string>(StringComparer.Ordinal);
        cache.Of(Snapshot(3, At))["a"] = "planned";

        Assert.Equal("planned", cache.Of(Snapshot(3, At))["a"]);
    }

    [Fact]
    public void Of_NextVersion_StartsEmpty()
    {
        var cache = new PerApplyCache<string, string>(StringComparer.Ordinal);
        cache.Of(Snapshot(3, At))["a"] = "planned";

        Assert.Empty(cache.Of(Snapshot(4, At.AddMinutes(1))));
    }

    [Fact]
    public void Of_ProjectReappliedAtTheSameVersion_StartsEmpty()
    {
        // Torn down and applied again: version 1 again, but another apply.
        var cache = new PerApplyCache<string, string>(StringComparer.Ordinal);
        cache.Of(Snapshot(1, At))["a"] = "planned";

        Assert.Empty(cache.Of(Snapshot(1, At.AddMinutes(1))));
    }
}
