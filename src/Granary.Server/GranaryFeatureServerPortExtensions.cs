using Granary.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Keeps the REST endpoints on their own port when a host listens on several.</summary>
public static class GranaryFeatureServerPortExtensions
{
    /// <summary>
    /// Answers the REST endpoints only on connections accepted on <paramref name="port"/>; on any other port they are
    /// a 404 problem. The port is the connection's own, not the <c>Host</c> header's, which a reverse proxy rewrites
    /// (<c>RequireHost("*:port")</c> made every proxied request a 404).
    /// </summary>
    /// <param name="rest">The REST endpoints, as <c>MapGranaryFeatureServer</c> returns them.</param>
    /// <param name="port">The port REST listens on.</param>
    public static RouteGroupBuilder RequireLocalPort(this RouteGroupBuilder rest, int port)
    {
        ArgumentNullException.ThrowIfNull(rest);
        rest.AddEndpointFilter(async (invocation, next) =>
        {
            var connection = invocation.HttpContext.Connection;
            return connection.LocalPort == port
                ? await next(invocation).ConfigureAwait(false)
                : throw new ServerErrorException(ServerError.NotFound(
                    $"no endpoint answers {invocation.HttpContext.Request.Method} {invocation.HttpContext.Request.Path} on port {connection.LocalPort}; REST is served on port {port}"));
        });
        return rest;
    }
}
