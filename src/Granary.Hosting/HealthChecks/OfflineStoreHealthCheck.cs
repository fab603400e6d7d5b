using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Granary.Hosting.HealthChecks;

/// <summary>Healthy when the offline store answers within <see cref="GranaryHealthCheckOptions.OfflineStoreTimeout"/>; added only with <see cref="GranaryHealthCheckOptions.CheckOfflineStore"/>.</summary>
internal sealed class OfflineStoreHealthCheck(FeatureStore store, IOptions<GranaryHealthCheckOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StorePing.CheckAsync(context, "offline store", ct => store.Offline.PingAsync(ct), options.Value.OfflineStoreTimeout, cancellationToken);
}
