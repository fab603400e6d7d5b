using Granary.Server.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Rest;

/// <summary>
/// Wraps every REST endpoint: gives the request its id, checks its API key against the endpoint's
/// <see cref="RequiredScope"/>, and answers a failure with problem details of the meaning
/// <see cref="ServerErrorReporter"/> gives it (the same as gRPC's), so that no bad request can stop the server.
/// </summary>
internal sealed class FeatureServerFilter(ApiKeyAuthenticator auth, ServerErrorReporter errors, ILogger<FeatureServerFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var requestId = RequestIds.Of(context);
        using var logScope = RequestLogScope.Begin(logger, requestId);
        var endpoint = context.GetEndpoint();
        var name = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.ToString();
        var scope = endpoint?.Metadata.GetMetadata<RequiredScope>()?.Scope ?? FeatureServerScopes.None;
        if (auth.Check(context, scope) is { } denied)
        {
            errors.Report(denied, name, requestId);
            await ProblemJson.WriteAsync(context, denied, requestId).ConfigureAwait(false);
            return Results.Empty;
        }

        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            var error = await errors.DescribeAsync(e, name, requestId).ConfigureAwait(false);
            if (context.Response.HasStarted)
            {
                throw; // too late for another status; the connection is cut
            }

            await ProblemJson.WriteAsync(context, error, requestId).ConfigureAwait(false);
            return Results.Empty;
        }
    }
}
