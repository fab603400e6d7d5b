using Granary.Definitions;
using Granary.Registry;
using Granary.Repo;

namespace Granary.Tests.Repo;

/// <summary>A feature service's <c>logging</c> and <c>drift</c> in YAML: what they read into, and each mistake with file and line.</summary>
public sealed class FeatureServiceObservabilityParsingTests : IDisposable
{
    private const string Header = """
        kind: entity
        name: driver
        join_keys: [driver_id]
        ---
        kind: file_source
        name: stats
        path: data/stats.parquet
        ---
        kind: feature_view
        name: hourly
        entities: [driver]
        source: stats
        schema:
          - { name: conv_rate, dtype: float32 }
          - { name: trips, dtype: int64 }
        ---

        """;

    private readonly TempRepo _repo = new("obs");

    public void Dispose() => _repo.Dispose();

    private DefinitionSet Load(string service) => FeatureRepo.LoadDefinitions(_repo.Write("features.yaml", Header + service).Path);

    [Fact]
    public void Load_LoggingAndDrift_ReadEveryKey()
    {
        var set = Load("""
            kind: feature_service
            name: activity
            features: [hourly]
            logging: { sample_rate: 0.25, path: logs/served }
            drift:
              psi_warn: 0.05
              psi_drift: 0.2
              features:
                hourly__trips: { psi_warn: 0.3, psi_drift: 0.6 }
            """);

        var service = Assert.Single(set.FeatureServices);
        Assert.Equal(new FeatureLogging { SampleRate = 0.25, Path = "logs/served" }, service.Logging);
        Assert.Equal("logs/served", service.Logging!.Folder);
        Assert.Equal((0.05, 0.2), (service.Drift!.PsiWarn, service.Drift.PsiDrift));
        Assert.Equal((0.3, 0.6), (service.Drift.For("hourly__trips").PsiWarn, service.Drift.For("hourly__trips").PsiDrift));
        Assert.Equal(0.05, service.Drift.For("hourly__conv_rate").PsiWarn);
    }

    [Fact]
    public void Load_LoggingWithoutKeys_LogsEveryReadToTheDefaultFolder()
    {
        var service = Assert.Single(Load("""
            kind: feature_service
            name: activity
            features: [hourly]
            logging: {}
            """).FeatureServices);

        Assert.Equal(1.0, service.Logging!.SampleRate);
        Assert.Equal(("data/feature_logs", (string?)null), (service.Logging.Folder, service.Logging.Table));
        Assert.Null(service.Drift);
    }

    [Fact]
    public void Load_LoggingToATable_HasNoFolder()
    {
        var service = Assert.Single(Load("""
            kind: feature_service
            name: activity
            features: [hourly]
            logging: { table: monitoring.served }
            """).FeatureServices);

        Assert.Equal(("monitoring.served", (string?)null), (service.Logging!.Table, service.Logging.Folder));
    }

    [Theory]
    [InlineData("logging: { sample_rate: 1.5 }", "features.yaml:20:25: feature_service 'activity' logging: 'sample_rate' must be a share of reads from 0 to 1 such as 0.1, not '1.5'")]
    [InlineData("logging: { sample_rate: half }", "features.yaml:20:25: feature_service 'activity' logging: 'sample_rate' must be a share of reads from 0 to 1 such as 0.1, not 'half'")]
    [InlineData("logging: { path: /var/log/x }", "features.yaml:20:18: feature_service 'activity' logging: path '/var/log/x' must be a folder inside the repo, relative to it, such as data/feature_logs")]
    [InlineData("logging: { path: data/../../x }", "features.yaml:20:18: feature_service 'activity' logging: path 'data/../../x' must be a folder inside the repo, relative to it, such as data/feature_logs")]
    [InlineData("logging: { path: a, table: b }", "features.yaml:20:28: feature_service 'activity' logging: give 'path' (Parquet files) or 'table' (a PostgreSQL table), not both")]
    [InlineData("logging: { table: 'x; drop' }", "features.yaml:20:19: feature_service 'activity' logging: table 'x; drop' must be a name or schema.name of letters, digits and underscores")]
    [InlineData("logging: { rate: 1 }", "features.yaml:20:12: feature_service 'activity' logging: unknown key 'rate'; expected one of: path, sample_rate, table")]
    [InlineData("logging: yes", "features.yaml:20:10: feature_service 'activity': 'logging' must be a mapping")]
    [InlineData("drift: { psi_warn: 0.3, psi_drift: 0.2 }", "features.yaml:20:20: feature_service 'activity' drift: psi_warn (0.3) must be below psi_drift (0.2)")]
    [InlineData("drift: { psi_warn: 0 }", "features.yaml:20:20: feature_service 'activity' drift: 'psi_warn' must be a PSI above 0 such as 0.1, not '0'")]
    [InlineData("drift: { psi_drift: 1e9 }", "features.yaml:20:21: feature_service 'activity' drift: 'psi_drift' must be a PSI above 0 such as 0.25, not '1e9'")]
    [InlineData("drift: { features: { hourly__trips: { psi: 1 } } }", "features.yaml:20:39: feature_service 'activity' drift features hourly__trips: unknown key 'psi'; expected one of: psi_drift, psi_warn")]
    [InlineData("drift: { features: { hourly__speed: { psi_warn: 0.2 } } }", "features.yaml:17:1: feature_service 'activity': drift.features: 'hourly__speed' is not a feature of the service; name it view__feature, one of: hourly__conv_rate, hourly__trips")]
    public void Load_BadLoggingOrDrift_NamesFileLineAndTheProblem(string section, string expected)
    {
        var error = Assert.Throws<RepoValidationException>(() => Load($"""
            kind: feature_service
            name: activity
            features: [hourly]
            {section}
            """));

        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Fact]
    public void RegistryJson_ServiceWithLoggingAndDrift_RoundTrips()
    {
        var set = Load("""
            kind: feature_service
            name: activity
            features: [hourly]
            logging: { sample_rate: 0.5 }
            drift: { psi_warn: 0.2, psi_drift: 0.4, features: { hourly__trips: { psi_drift: 0.9 } } }
            """);

        var read = RegistryJson.Deserialize<DefinitionSet>(RegistryJson.Serialize(set));

        var service = Assert.Single(read.FeatureServices);
        Assert.Equal(0.5, service.Logging!.SampleRate);
        Assert.Equal((0.2, 0.4), (service.Drift!.PsiWarn, service.Drift.PsiDrift));
        Assert.Equal((0.1, 0.9), (service.Drift.For("hourly__trips").PsiWarn, service.Drift.For("hourly__trips").PsiDrift));
        Assert.True(RegistryDiff.Compute(read, set).IsEmpty);
    }

    [Fact]
    public void RegistryJson_ServiceWrittenWithoutLogging_ReadsWithNoneAndWritesNoKey()
    {
        const string written = """{ "feature_services": [ { "name": "activity", "features": [ { "view": "hourly" } ] } ] }""";

        var service = Assert.Single(RegistryJson.Deserialize<DefinitionSet>(written).FeatureServices);

        Assert.Null(service.Logging);
        Assert.Null(service.Drift);
        Assert.DoesNotContain("logging", RegistryJson.Serialize(service), StringComparison.Ordinal);
        Assert.DoesNotContain("drift", RegistryJson.Serialize(service), StringComparison.Ordinal);
    }
}
