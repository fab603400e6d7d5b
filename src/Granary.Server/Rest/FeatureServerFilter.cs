using Granary.Server.Auth;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Server.Rest;

/// <summary>
/// Wraps every REST endpoint: gives the request its id, checks its API key against the endpoint's
/// <see cref="RequiredScope"/>, and turns a failure into a problem details answer, so that no bad
/// request can stop the server.
/// </summary>
internal sealed class FeatureServerFilter : IEndpointFilter
{
    private readonly ApiKeyAuthenticator _auth;
    private readonly ServerMetrics _metrics;
    private readonly FeatureStore _store;
    private readonly TimeSpan _pingTimeout;
    private readonly ILogger<FeatureServerFilter> _logger;

    public FeatureServerFilter(
        ApiKeyAuthenticator auth, ServerMetrics metrics, FeatureStore store, IOptions<GranaryServerOptions> options, ILogger<FeatureServerFilter> logger)
    {
        _auth = auth;
        _metrics = metrics;
        _store = store;
        _pingTimeout = options.Value.ReadTimeout;
        _logger = logger;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var requestId = RequestIds.Of(context);
        var endpoint = context.GetEndpoint();
        var name = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.ToString();
        var scope = endpoint?.Metadata.GetMetadata<RequiredScope>()?.Scope ?? FeatureServerScopes.None;
        if (_auth.Check(context, scope) is { } denied)
        {
            await FailAsync(context, name, denied, requestId, null).ConfigureAwait(false);
            return Results.Empty;
        }

        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            var error = ServerError.From(e) ?? await UnknownAsync(name, requestId, e).ConfigureAwait(false);
            if (context.Response.HasStarted)
            {
                throw; // too late for another status; the connection is cut
            }

            await FailAsync(context, name, error, requestId, e).ConfigureAwait(false);
            return Results.Empty;
        }
    }

    /// <summary>An exception no rule knows: a 503 when the online store is down (a store client's own failure), else a 500.</summary>
    private async Task<ServerError> UnknownAsync(string name, string requestId, Exception exception)
    {
        try
        {
            using var deadline = new CancellationTokenSource(_pingTimeout);
            await _store.Online.PingAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ping)
        {
            return ServerError.Unavailable($"the online store cannot be reached: {ping.Message}");
        }

        Log.RequestFailed(_logger, name, requestId, exception);
        return ServerError.Internal(requestId);
    }

    private async Task FailAsync(HttpContext context, string name, ServerError error, string requestId, Exception? exception)
    {
        _metrics.Error(name, error.Kind);
        if (error.Status == StatusCodes.Status503ServiceUnavailable)
        {
            Log.StoreUnavailable(_logger, name, error.Status, error.Kind, requestId, error.Detail, exception);
        }
        else if (error.Status < StatusCodes.Status500InternalServerError)
        {
            Log.RequestRejected(_logger, name, error.Status, error.Kind, requestId, error.Detail);
        }

        await ProblemJson.WriteAsync(context, error, requestId).ConfigureAwait(false);
    }
}
