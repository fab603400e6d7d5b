using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Granary.Ui.Hosting;

/// <summary>Renders a page component to HTML on the server (no circuit, no interactivity) and writes it as the response.</summary>
internal sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    /// <summary>
    /// Who may frame, script and style the pages: nothing from elsewhere; scripts only from the UI's
    /// own file. Inline styles are allowed for reports that bring their own (self-contained HTML).
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The HTML of <typeparamref name="TComponent"/> with <paramref name="parameters"/>.</summary>
    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters)).ConfigureAwait(false);
            return output.ToHtmlString();
        }).ConfigureAwait(false);
    }

    /// <summary>Renders <typeparamref name="TComponent"/> and writes it with <paramref name="status"/>.</summary>
    public async Task WriteAsync<TComponent>(HttpContext context, IDictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        var html = await RenderAsync<TComponent>(parameters).ConfigureAwait(false);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        AddSecurityHeaders(context.Response);
        await context.Response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Headers every UI response carries: no framing, no sniffing, no referrer to other sites, no caching of registry pages.</summary>
    public static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
    }
}
