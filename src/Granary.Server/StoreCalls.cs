using System.Diagnostics;
using Granary.Server.Diagnostics;

namespace Granary.Server;

/// <summary>
/// Runs a FeatureStore call with a deadline and records its latency: a store that does not answer
/// in time ends the call with 503 instead of holding the request.
/// </summary>
internal static class StoreCalls
{
    public static async Task<T> RunAsync<T>(
        ServerMetrics metrics, string operation, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken aborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(timeout);
        var start = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            var result = await call(deadline.Token).ConfigureAwait(false);
            succeeded = true;
            return result;
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            throw new ServerErrorException(ServerError.Unavailable($"the stores did not answer within {timeout.TotalMilliseconds:0} ms"));
        }
        finally
        {
            metrics.StoreCall(operation, start, succeeded);
        }
    }
}
