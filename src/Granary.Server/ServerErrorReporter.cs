using Granary.Server.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Server;

/// <summary>
/// The one path every failed request takes, REST or gRPC: decides what an exception means
/// (<see cref="ServerError.From"/>; for an exception no rule knows, whether the online store still answers),
/// counts it in <c>granary.server.errors</c> and logs it. The protocols only translate the answer, into
/// problem details (<see cref="Rest.FeatureServerFilter"/>) or a status code (<see cref="Grpc.ServerErrorInterceptor"/>).
/// </summary>
internal sealed class ServerErrorReporter(FeatureStore store, ServerMetrics metrics, IOptions<GranaryServerOptions> options, ILogger<ServerErrorReporter> logger)
{
    /// <summary>The endpoint label of requests no endpoint took: the path is the caller's and would make any number of series.</summary>
    public const string Unrouted = "(unrouted)";

    private readonly TimeSpan _pingTimeout = options.Value.ReadTimeout;

    /// <summary>What the exception means for the caller of <paramref name="endpoint"/>; counted and logged.</summary>
    public async ValueTask<ServerError> DescribeAsync(Exception exception, string endpoint, string requestId)
    {
        var error = ServerError.From(exception) ?? await UnknownAsync(endpoint, requestId, exception).ConfigureAwait(false);

        // A call refused by the open circuit has no stack worth logging, and an outage would repeat it for every request.
        Report(error, endpoint, requestId, RefusedByCircuit(exception) ? null : exception);
        return error;
    }

    private static bool RefusedByCircuit(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is Polly.CircuitBreaker.BrokenCircuitException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Counts and logs a failure; <see cref="DescribeAsync"/> does so itself.</summary>
    public void Report(ServerError error, string endpoint, string requestId, Exception? exception = null)
    {
        metrics.Error(endpoint, error.Kind.Name);
        if (error.Kind == ErrorKind.Unavailable)
        {
            Log.StoreUnavailable(logger, endpoint, error.Status, error.Kind.Name, requestId, error.Detail, exception);
        }
        else if (error.Kind != ErrorKind.Internal)
        {
            Log.RequestRejected(logger, endpoint, error.Status, error.Kind.Name, requestId, error.Detail);
        }

        // An internal error was logged with its stack trace when it was told apart from a store failure.
    }

    /// <summary>An exception no rule knows: a 503 when the online store is down (a store client's own failure), else a 500.</summary>
    private async Task<ServerError> UnknownAsync(string endpoint, string requestId, Exception exception)
    {
        try
        {
            using var deadline = new CancellationTokenSource(_pingTimeout);
            await store.Online.PingAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ping)
        {
            return ServerError.Unavailable($"the online store cannot be reached: {ping.Message}");
        }

        Log.RequestFailed(logger, endpoint, requestId, exception);
        return ServerError.Internal(requestId);
    }
}
