using Granary.Repo;

namespace Granary.Server.Tests;

/// <summary>The feature_server section of granary.yaml, as <see cref="GranaryServerOptions.LoadFrom"/> reads it.</summary>
public sealed class OptionsTests
{
    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["GRANARY_KEY_READER"] = "reader-secret-123456",
        ["GRANARY_KEY_ADMIN"] = "admin-secret-1234567",
    };

    private static GranaryServerOptions Load(string featureServerYaml)
    {
        using var repo = new TestRepo(featureServer: featureServerYaml);
        return new GranaryServerOptions().LoadFrom(FeatureRepo.LoadConfig(repo.Path).FeatureServer, name => Environment.GetValueOrDefault(name));
    }

    [Fact]
    public void LoadFrom_EveryKey_SetsOptionsAndReadsKeysFromEnvironment()
    {
        var options = Load("""
            feature_server:
              registry_poll_seconds: 2.5
              max_entities: 50
              max_body_bytes: 4096
              read_timeout_ms: 250
              write_timeout_ms: 5000
              api_keys:
                - { env: GRANARY_KEY_READER, scopes: [read] }
                - { env: GRANARY_KEY_ADMIN, scopes: [read, write, admin] }
            """);

        Assert.Equal(TimeSpan.FromSeconds(2.5), options.RegistryPollInterval);
        Assert.Equal(50, options.MaxEntities);
        Assert.Equal(4096, options.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.WriteTimeout);
        Assert.Equal(["GRANARY_KEY_READER (Read)", "GRANARY_KEY_ADMIN (Read, Write, Admin)"], options.ApiKeys.Select(k => k.ToString()));
        Assert.Equal("admin-secret-1234567", options.ApiKeys[1].Key);
    }

    [Fact]
    public void LoadFrom_NoSection_KeepsDefaults()
    {
        var options = Load(string.Empty);

        Assert.Equal(TimeSpan.FromSeconds(5), options.RegistryPollInterval);
        Assert.Equal(1000, options.MaxEntities);
        Assert.Equal(1_048_576, options.MaxBodyBytes);
        Assert.Empty(options.ApiKeys);
    }

    [Theory]
    [InlineData("feature_server: { api_keys: [ { env: GRANARY_KEY_MISSING, scopes: [read] } ] }", "granary.yaml:5:38: feature_server.api_keys[0]: environment variable GRANARY_KEY_MISSING is not set")]
    [InlineData("feature_server: { api_keys: [ { key: abcdefghijklmnopqrstu, scopes: [read] } ] }", "granary.yaml:5:38: feature_server.api_keys[0]: keys are never written in granary.yaml")]
    [InlineData("feature_server: { api_keys: [ { env: GRANARY_KEY_READER, scopes: [root] } ] }", "granary.yaml:5:66: feature_server.api_keys[0]: unknown scope 'root'")]
    [InlineData("feature_server: { api_keys: [ { env: GRANARY_KEY_READER } ] }", "needs one or more of the scopes read, write, admin")]
    [InlineData("feature_server: { max_entities: 0 }", "granary.yaml:5:33: feature_server.max_entities: must be from 1 to 1,000,000, not 0")]
    [InlineData("feature_server: { max_entities: lots }", "granary.yaml:5:33: feature_server.max_entities: 'lots' is not a whole number")]
    [InlineData("feature_server: { read_timeout_ms: 5 }", "granary.yaml:5:36: feature_server.read_timeout_ms: must be from 10 to 60,000, not 5")]
    [InlineData("feature_server: { port: 80 }", "granary.yaml:5:25: feature_server.port: unknown key")]
    [InlineData("feature_server: { api_keys: GRANARY_KEY_READER }", "granary.yaml:5:29: feature_server.api_keys: must be a list")]
    public void LoadFrom_BadSection_FailsNamingLineAndKey(string yaml, string expected)
    {
        var error = Assert.ThrowsAny<GranaryException>(() => Load(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFrom_WithoutEnvironment_ChecksTheShapeButNotTheKeyVariables()
    {
        using var repo = new TestRepo(featureServer: "feature_server: { api_keys: [ { env: GRANARY_KEY_NOT_SET_HERE, scopes: [read] } ] }");
        var section = FeatureRepo.LoadConfig(repo.Path).FeatureServer;

        Assert.Empty(new GranaryServerOptions().LoadFrom(section, environment: null).ApiKeys);
        using var typo = new TestRepo(featureServer: "feature_server: { max_entitys: 5 }");
        var error = Assert.ThrowsAny<GranaryException>(() => new GranaryServerOptions().LoadFrom(FeatureRepo.LoadConfig(typo.Path).FeatureServer, environment: null));
        Assert.Contains("feature_server.max_entitys: unknown key", error.Message, StringComparison.Ordinal);
    }
}
