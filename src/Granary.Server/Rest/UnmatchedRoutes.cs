using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Rest;

/// <summary>
/// Answers a request that no endpoint matched with a 404 problem, as every other error is answered: a terminal
/// appended after the host's whole pipeline, so that it runs only when nothing else answered and costs a
/// matched request nothing.
/// </summary>
internal sealed class UnmatchedRoutes(ServerErrorReporter errors) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Run(AnswerAsync);
    };

    private Task AnswerAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var requestId = RequestIds.Of(context);
        var error = ServerError.NotFound($"no endpoint answers {context.Request.Method} {context.Request.Path}");
        errors.Report(error, ServerErrorReporter.Unrouted, requestId);
        return ProblemJson.WriteAsync(context, error, requestId);
    }
}
