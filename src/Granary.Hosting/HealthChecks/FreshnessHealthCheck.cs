using System.Globalization;
using Granary.Definitions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Granary.Hosting.HealthChecks;

/// <summary>
/// Degraded when a materialized view's last materialization ended longer ago than its threshold
/// (<see cref="GranaryHealthCheckOptions.MaxStaleness"/>, else the view's ttl): the online store
/// still answers, but with values that are old or, past the ttl, missing. Views never materialized,
/// and views without a threshold, are not judged.
/// </summary>
internal sealed class FreshnessHealthCheck(FeatureStore store, TimeProvider time, IOptions<GranaryHealthCheckOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.RegistryTimeout);
        Registry.RegistrySnapshot snapshot;
        try
        {
            // The registry itself, not the served snapshot: materializations do not change the served version.
            snapshot = await store.GetSnapshotAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"no answer within {settings.RegistryTimeout.TotalMilliseconds:0} ms" : e.Message;
            return new HealthCheckResult(context.Registration.FailureStatus, $"cannot read materializations from the registry: {why}");
        }

        var now = time.GetUtcNow();
        var stale = new List<string>();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var judged = 0;
        foreach (var view in snapshot.Definitions.FeatureViews.Where(v => v.Online))
        {
            var threshold = settings.MaxStaleness ?? (view.Ttl > TimeSpan.Zero ? view.Ttl : (TimeSpan?)null);
            if (threshold is not { } limit || snapshot.LastMaterializedEnd(view.Name) is not { } end)
            {
                continue;
            }

            judged++;
            var behind = now - end;
            data[view.Name] = end.ToString("O", CultureInfo.InvariantCulture);
            if (behind > limit)
            {
                stale.Add($"{view.Name} (materialized until {end:O}, {Duration.Format(behind)} ago; threshold {Duration.Format(limit)})");
            }
        }

        return stale.Count == 0
            ? HealthCheckResult.Healthy($"{judged} materialized views are fresh", data)
            : HealthCheckResult.Degraded($"stale: {string.Join("; ", stale)}", data: data);
    }
}
