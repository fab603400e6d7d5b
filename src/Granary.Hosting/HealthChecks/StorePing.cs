using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Granary.Hosting.HealthChecks;

/// <summary>Pings a store with a deadline: a store that does not answer in time fails the check instead of holding the probe.</summary>
internal static class StorePing
{
    public static async Task<HealthCheckResult> CheckAsync(
        HealthCheckContext context, string what, Func<CancellationToken, Task> ping, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await ping(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{what} answered");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{what} did not answer within {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{what}: {e.Message}", e);
        }
    }
}
