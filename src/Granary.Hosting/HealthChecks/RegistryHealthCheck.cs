using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Granary.Hosting.HealthChecks;

/// <summary>
/// Healthy while the host's registry refresher read the registry at its last try; judged from the
/// refresher's status, so a probe costs no registry read.
/// </summary>
internal sealed class RegistryHealthCheck(FeatureStore store, RegistryStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (version, error) = status.Current;
        var data = new Dictionary<string, object> { ["project"] = store.Project, ["registry_version"] = version };
        return Task.FromResult(error is null
            ? HealthCheckResult.Healthy($"serving registry version {version} of project '{store.Project}'", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"registry: {error}", data: data));
    }
}
