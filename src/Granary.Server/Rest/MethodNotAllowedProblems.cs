using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Granary.Server.Rest;

/// <summary>
/// Routing answers a known path asked with another method through an endpoint of its own, which sets 405 and
/// <c>Allow</c> and writes no body. This policy swaps it, when it is selected, for one that also writes the
/// problem, as every other error is answered. It applies only to the route table's rejection states: a request
/// that matches an endpoint never meets it.
/// </summary>
internal sealed class MethodNotAllowedProblems(ServerErrorReporter errors) : MatcherPolicy, IEndpointSelectorPolicy
{
    // How HttpMethodMatcherPolicy names the rejection endpoint it adds to the route table; it has no metadata.
    private const string RejectionName = "405 HTTP Method Not Supported";
    private const string ProblemName = RejectionName + " (problem details)";

    /// <summary>After routing's own policies, the HTTP method one (order -1000) among them.</summary>
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Any(IsRejection);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && IsRejection(candidates[i].Endpoint))
            {
                var rejection = candidates[i].Endpoint;
                candidates.ReplaceEndpoint(
                    i, new Endpoint(context => AnswerAsync(rejection, context), EndpointMetadataCollection.Empty, ProblemName), candidates[i].Values);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsRejection(Endpoint endpoint) =>
        endpoint is not RouteEndpoint && endpoint.Metadata.Count == 0 && endpoint.DisplayName == RejectionName && endpoint.RequestDelegate is not null;

    private async Task AnswerAsync(Endpoint rejection, HttpContext context)
    {
        await rejection.RequestDelegate!(context).ConfigureAwait(false); // 405 and Allow, as routing answers
        var requestId = RequestIds.Of(context);
        var error = ServerError.MethodNotAllowed($"{context.Request.Path} does not take {context.Request.Method}; it takes {context.Response.Headers.Allow}");
        errors.Report(error, ServerErrorReporter.Unrouted, requestId);
        await ProblemJson.WriteAsync(context, error, requestId).ConfigureAwait(false);
    }
}
