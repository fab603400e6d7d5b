using System.Diagnostics;
using Granary.Server.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Granary.Server;

/// <summary>
/// Runs the FeatureStore calls that reach the online store with a deadline, records their latency, and keeps a
/// circuit breaker (Polly) over them. A store that does not answer in time ends the call with 503 instead of
/// holding the request. Once most calls fail, the circuit opens: for
/// <see cref="GranaryServerOptions.StoreBreakDuration"/> every guarded call is answered 503 at once, without
/// touching the store; then one call (a read, a write or a health check) probes it, and its success closes the
/// circuit. Only store failures count: a bad request or a missing feature is the caller's and never opens it.
/// </summary>
internal sealed class StoreCalls
{
    /// <summary>The share of failed calls within <see cref="SamplingDuration"/> that opens the circuit.</summary>
    private const double FailureRatio = 0.5;

    /// <summary>Calls within <see cref="SamplingDuration"/> before the ratio counts: a single failure of a quiet server does not open it.</summary>
    private const int MinimumThroughput = 3;

    private static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(10);

    private readonly FeatureStore _store;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeSpan _pingTimeout;
    private readonly TimeSpan _breakDuration;
    private readonly ResiliencePipeline _breaker;

    public StoreCalls(FeatureStore store, ServerMetrics metrics, IOptions<GranaryServerOptions> options, TimeProvider time, ILogger<StoreCalls> logger)
    {
        _store = store;
        _metrics = metrics;
        _logger = logger;
        _pingTimeout = options.Value.ReadTimeout;
        _breakDuration = options.Value.StoreBreakDuration;
        _breaker = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = FailureRatio,
                MinimumThroughput = MinimumThroughput,
                SamplingDuration = SamplingDuration,
                BreakDuration = _breakDuration,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => ServerError.From(e)?.Kind == ErrorKind.Unavailable),
                OnOpened = args =>
                {
                    Log.StoreCircuitOpened(_logger, _breakDuration.TotalMilliseconds, args.Outcome.Exception?.Message ?? "failed");
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Log.StoreCircuitClosed(_logger);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>
    /// Runs <paramref name="call"/>, which reaches the online store, within <paramref name="timeout"/> and the
    /// circuit breaker; failures of the store come out as <see cref="ServerErrorException"/> of kind unavailable.
    /// </summary>
    /// <param name="operation">The operation's name in metrics.</param>
    /// <param name="timeout">The deadline.</param>
    /// <param name="call">The call.</param>
    /// <param name="aborted">The request's cancellation.</param>
    /// <param name="checkRequest">
    /// Optional: throws when the request itself is wrong, without the store; run while the circuit is open, so that a
    /// caller's mistake is still answered as such during an outage.
    /// </param>
    public async Task<T> RunAsync<T>(string operation, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken aborted, Action? checkRequest = null)
    {
        try
        {
            return await _breaker.ExecuteAsync(
                static async (state, ct) => await state.Self.TimedAsync(state.Operation, state.Timeout, state.Call, ct).ConfigureAwait(false),
                (Self: this, Operation: operation, Timeout: timeout, Call: call),
                aborted).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            checkRequest?.Invoke();
            _metrics.StoreCall(operation, Stopwatch.GetTimestamp(), succeeded: false);
            throw new ServerErrorException(
                ServerError.Unavailable($"the online store is failing; calls to it are refused for {_breakDuration.TotalMilliseconds:0} ms after the last failure, then it is tried again"), e);
        }
    }

    /// <summary>Runs <paramref name="call"/> with a deadline and no circuit: for calls that need not reach the online store.</summary>
    public Task<T> RunUnguardedAsync<T>(string operation, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken aborted) =>
        TimedAsync(operation, timeout, call, aborted);

    private async Task<T> TimedAsync<T>(string operation, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken aborted)
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
        catch (OperationCanceledException e) when (!aborted.IsCancellationRequested)
        {
            throw new ServerErrorException(ServerError.Unavailable($"the stores did not answer within {timeout.TotalMilliseconds:0} ms"), e);
        }
        catch (Exception e) when (e is not ServerErrorException && !aborted.IsCancellationRequested && ServerError.From(e) is null)
        {
            // An exception no rule knows: a store client's own failure when the store no longer answers a ping, else a bug.
            if (await PingFailsAsync().ConfigureAwait(false) is { } ping)
            {
                throw new ServerErrorException(ServerError.Unavailable($"the online store cannot be reached: {ping}"), e);
            }

            throw;
        }
        finally
        {
            _metrics.StoreCall(operation, start, succeeded);
        }
    }

    private async Task<string?> PingFailsAsync()
    {
        try
        {
            using var deadline = new CancellationTokenSource(_pingTimeout);
            await _store.Online.PingAsync(deadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ping)
        {
            return ping.Message;
        }
    }
}
