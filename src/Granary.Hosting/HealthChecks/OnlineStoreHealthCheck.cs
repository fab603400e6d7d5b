using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Granary.Hosting.HealthChecks;

/// <summary>Healthy when the online store answers a ping within <see cref="GranaryHealthCheckOptions.OnlineStoreTimeout"/>.</summary>
internal sealed class OnlineStoreHealthCheck(FeatureStore store, IOptions<GranaryHealthCheckOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StorePing.CheckAsync(context, "online store", ct => store.Online.PingAsync(ct), options.Value.OnlineStoreTimeout, cancellationToken);
}
