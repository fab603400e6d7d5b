using Granary.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Granary.Server.Rest;

/// <summary>
/// <c>GET /health</c>: 200 when the last registry poll succeeded and the online store answers a ping
/// within <see cref="GranaryServerOptions.ReadTimeout"/>; otherwise 503 naming what failed. Every
/// call pings the online store, through the circuit breaker of <see cref="StoreCalls"/>: while the circuit
/// is open the answer is 503 at once, and a health check may be the call that probes the store. The registry
/// is judged by the poller, which reads it anyway.
/// </summary>
internal sealed class HealthEndpoint(FeatureStore store, RegistryStatus registry, StoreCalls calls, IOptions<GranaryServerOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.ReadTimeout;

    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (version, registryError) = registry.Current;
        if (registryError is not null)
        {
            throw new ServerErrorException(ServerError.Unavailable($"registry: {registryError}"));
        }

        try
        {
            await calls.RunAsync("ping", _timeout, async ct =>
            {
                await store.Online.PingAsync(ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerErrorException(ServerError.Unavailable($"online store: {(e as ServerErrorException)?.Error.Detail ?? e.Message}"), e);
        }

        await Results.Json(new OpenApiSchemas.Health("ok", store.Project, version)).ExecuteAsync(context).ConfigureAwait(false);
    }
}
