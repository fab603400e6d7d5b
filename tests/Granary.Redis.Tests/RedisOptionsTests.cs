using Granary.Redis;
using Granary.Repo;

namespace Granary.Redis.Tests;

/// <summary>online_store: { type: redis } as granary.yaml binds it: every key, and mistakes named with their line.</summary>
public sealed class RedisOptionsTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-redis-options-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private RedisOnlineStoreOptions Bind(string section)
    {
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), $"project: p\nonline_store:\n  type: redis\n{section}");
        var config = FeatureRepo.LoadConfig(_repo);
        return ConfigBinder.Bind(new RedisOnlineStoreOptions(), config.OnlineStore, config);
    }

    [Fact]
    public void Bind_EveryKey_SetsTheOptions()
    {
        var options = Bind("  connection_string: 10.0.0.1:7000,10.0.0.2:7000\n  key_ttl: 86400\n  rows_per_call: 50\n  rows_in_flight: 1000\n");

        Assert.Equal(("10.0.0.1:7000,10.0.0.2:7000", TimeSpan.FromDays(1), 50, 1000), (options.ConnectionString, options.KeyTtl, options.RowsPerCall, options.RowsInFlight));
    }

    [Theory]
    [InlineData("  key_ttl: 60\n", "granary.yaml:3:3: online_store.connection_string: is required")]
    [InlineData("  connection_string: x:1\n  key_ttl: 1.5\n", "granary.yaml:5:12: online_store.key_ttl: must be whole seconds, not 1.5")]
    [InlineData("  connection_string: x:1\n  key_ttl: -1\n", "granary.yaml:5:12: online_store.key_ttl: must be from 0 to 315,360,000, not -1")]
    [InlineData("  connection_string: x:1\n  rows_per_call: 0\n", "granary.yaml:5:18: online_store.rows_per_call: must be from 1 to 1,000, not 0")]
    [InlineData("  connection_string: x:1\n  password: secret\n", "granary.yaml:5:13: online_store.password: unknown key; expected one of: connection_string, key_ttl, rows_in_flight, rows_per_call")]
    public void Bind_Mistake_NamesLineAndKey(string section, string expected)
    {
        var error = Assert.Throws<RepoValidationException>(() => Bind(section));

        Assert.Equal(expected, Assert.Single(error.Errors));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
