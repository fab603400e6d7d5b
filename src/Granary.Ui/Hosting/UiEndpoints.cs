using Granary.Definitions;
using Granary.Ui.Catalog;
using Granary.Ui.Components;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Ui.Hosting;

/// <summary>
/// The UI's routes under its path: each reads the registry through the <see cref="FeatureStore"/>
/// facade, builds what its page shows and renders the page's component.
/// </summary>
internal sealed class UiEndpoints(
    string path, FeatureStore store, UiAccess access, PageRenderer renderer, UiAssets assets, TimeProvider time, GranaryUiOptions options, IServiceProvider services)
{
    /// <summary>How long "try it" waits for the online store.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private const int SuggestionCount = 8;
    private const int SearchPageCount = 100;

    public void Map(RouteGroupBuilder ui)
    {
        // Every route, assets and sign-in included, first checks the loopback rule.
        ui.AddEndpointFilter(async (invocation, next) =>
            access.CheckClient(invocation.HttpContext) is { } refusal
                ? Results.Text(refusal, statusCode: StatusCodes.Status403Forbidden)
                : await next(invocation).ConfigureAwait(false));

        ui.MapGet("/assets/{name}", (HttpContext c, string name) => assets.ServeAsync(c, name));
        ui.MapGet("/login", LoginPageAsync);
        ui.MapPost("/login", SignInAsync);
        ui.MapPost("/logout", (HttpContext c) =>
        {
            UiAccess.SignOut(c, BaseOf(c));
            return Results.Redirect(BaseOf(c) + "/login", permanent: false, preserveMethod: false);
        });

        var pages = ui.MapGroup(string.Empty);
        pages.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (access.CheckKey(context) is not { } error)
            {
                return await next(invocation).ConfigureAwait(false);
            }

            // The as-you-type fragment is fetched by script: it gets the status, pages get the sign-in form.
            return context.Request.Query.ContainsKey("fragment")
                ? Results.Text(error.Detail, statusCode: error.Status)
                : Results.Redirect($"{BaseOf(context)}/login?return={Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + context.Request.QueryString)}");
        });
        pages.MapGet("/", (HttpContext c) => PageAsync<OverviewPage>(c, []));
        pages.MapGet("/lineage", (HttpContext c) => PageAsync<LineagePage>(c, []));
        pages.MapGet("/search", SearchAsync);
        foreach (var slot in ReportPage.All)
        {
            pages.MapGet("/" + slot.Path, (HttpContext c) => ReportAsync(c, slot));
        }

        pages.MapGet("/{kind}", (HttpContext c, string kind) => UiKind.FromSlug(kind) is { } k
            ? PageAsync<ListPage>(c, new Dictionary<string, object?> { [nameof(ListPage.Kind)] = k })
            : NotFoundAsync(c, $"There is no page '{kind}'."));
        pages.MapGet("/{kind}/{name}", ObjectAsync);
        pages.MapFallback((HttpContext c) => NotFoundAsync(c, $"There is no page '{c.Request.Path}'."));
    }

    /// <summary>The UI's path for this request: the host's path base and the mapped path.</summary>
    private string BaseOf(HttpContext context) => context.Request.PathBase + path;

    private async Task<PageContext> ContextAsync(HttpContext http)
    {
        var snapshot = await store.Registry.GetAsync(store.Project, http.RequestAborted).ConfigureAwait(false);
        var serverUrl = options.ServerUrl ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return new PageContext(BaseOf(http), new RegistryView(store.Project, snapshot), time.GetUtcNow(), serverUrl, access.KeysRequired, assets.Version);
    }

    private async Task PageAsync<TPage>(HttpContext http, Dictionary<string, object?> values, int status = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        values[nameof(OverviewPage.Context)] = await ContextAsync(http).ConfigureAwait(false);
        await renderer.WriteAsync<TPage>(http, values, status).ConfigureAwait(false);
    }

    private Task NotFoundAsync(HttpContext http, string message) =>
        PageAsync<MessagePage>(
            http,
            new Dictionary<string, object?> { [nameof(MessagePage.Title)] = "Not found", [nameof(MessagePage.Message)] = message, [nameof(MessagePage.IsError)] = true },
            StatusCodes.Status404NotFound);

    private async Task ObjectAsync(HttpContext http, string kind, string name)
    {
        var context = await ContextAsync(http).ConfigureAwait(false);
        var uiKind = UiKind.FromSlug(kind);
        var definition = uiKind is null ? null : context.Registry.Find(uiKind, name);
        if (uiKind is null || definition is null)
        {
            await renderer.WriteAsync<MessagePage>(
                http,
                new Dictionary<string, object?>
                {
                    [nameof(MessagePage.Context)] = context,
                    [nameof(MessagePage.Title)] = "Not found",
                    [nameof(MessagePage.Message)] = uiKind is null ? $"There is no page '{kind}'." : $"Project '{store.Project}' has no {uiKind.Singular.ToLowerInvariant()} named '{name}'.",
                    [nameof(MessagePage.IsError)] = true,
                },
                StatusCodes.Status404NotFound).ConfigureAwait(false);
            return;
        }

        var parameters = new Dictionary<string, object?>
        {
            [nameof(ObjectPage.Context)] = context,
            [nameof(ObjectPage.Kind)] = uiKind,
            [nameof(ObjectPage.Definition)] = definition,
        };
        if (definition is DataSource source)
        {
            parameters[nameof(ObjectPage.Schema)] = await DescribeAsync(context, source, http.RequestAborted).ConfigureAwait(false);
        }

        if (TryIt.Supports(definition))
        {
            parameters[nameof(ObjectPage.TryIt)] = await TryAsync(http, context, definition).ConfigureAwait(false);
        }

        await renderer.WriteAsync<ObjectPage>(http, parameters).ConfigureAwait(false);
    }

    /// <summary>The columns of a source read from the data; a push source shows its batch source's.</summary>
    private async Task<SourceSchema> DescribeAsync(PageContext context, DataSource source, CancellationToken cancellationToken)
    {
        var described = source is PushSource push ? context.Registry.Definitions.FindSource(push.BatchSource) : source;
        if (described is null)
        {
            return new SourceSchema(null, "its batch source is not in the registry");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DescribeTimeout);
        try
        {
            return new SourceSchema(await store.Offline.DescribeSourceAsync(described, timeout.Token).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SourceSchema(null, $"no answer within {UiFormat.Span(options.DescribeTimeout)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new SourceSchema(null, e.Message);
        }
    }

    /// <summary>The "try it" form; with <c>?try=1</c> in the query, also the read of the values it carries.</summary>
    private async Task<TryItState> TryAsync(HttpContext http, PageContext context, Definition definition)
    {
        var inputs = TryIt.InputsOf(context.Registry.Definitions, definition);
        var submitted = http.Request.Query.ContainsKey("try");
        var values = inputs.Where(i => http.Request.Query.ContainsKey(i.Name))
            .ToDictionary(i => i.Name, i => http.Request.Query[i.Name].ToString().Trim(), StringComparer.Ordinal);
        var request = TryIt.Request(definition, inputs, submitted ? values : inputs.ToDictionary(i => i.Name, i => Example(i.Type)));
        var curl = TryIt.Curl(context.ServerUrl, TryIt.Body(request, inputs), access.KeysRequired);
        if (!submitted)
        {
            return new TryItState(inputs, values, false, null, null, curl);
        }

        var missing = inputs.Where(i => string.IsNullOrEmpty(values.GetValueOrDefault(i.Name))).Select(i => i.Name).ToList();
        if (missing.Count > 0)
        {
            return new TryItState(inputs, values, true, null, $"enter a value for {string.Join(", ", missing)}", curl);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            var response = await store.GetOnlineFeaturesAsync(request, timeout.Token).ConfigureAwait(false);
            return new TryItState(inputs, values, true, response, null, curl);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            return new TryItState(inputs, values, true, null, $"the online store did not answer within {UiFormat.Span(ReadTimeout)}", curl);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new TryItState(inputs, values, true, null, e.Message, curl);
        }
    }

    /// <summary>A placeholder value for the curl command shown before anything is entered.</summary>
    private static string Example(DataType type) => type switch
    {
        { IsList: true } => "[]",
        { Scalar: ScalarType.Int32 or ScalarType.Int64 } => "1001",
        { Scalar: ScalarType.Float32 or ScalarType.Float64 } => "1.0",
        { Scalar: ScalarType.Bool } => "true",
        _ => "KEY",
    };

    private async Task SearchAsync(HttpContext http)
    {
        var query = http.Request.Query["q"].ToString();
        var context = await ContextAsync(http).ConfigureAwait(false);
        if (http.Request.Query.ContainsKey("fragment"))
        {
            await renderer.WriteAsync<SearchResults>(http, new Dictionary<string, object?>
            {
                [nameof(SearchResults.Context)] = context,
                [nameof(SearchResults.Query)] = query,
                [nameof(SearchResults.Hits)] = Search.Find(context.Registry, query, SuggestionCount),
            }).ConfigureAwait(false);
            return;
        }

        await renderer.WriteAsync<SearchPage>(http, new Dictionary<string, object?>
        {
            [nameof(SearchPage.Context)] = context,
            [nameof(SearchPage.Query)] = query,
            [nameof(SearchPage.Hits)] = Search.Find(context.Registry, query, SearchPageCount),
        }).ConfigureAwait(false);
    }

    private async Task ReportAsync(HttpContext http, ReportSlot slot)
    {
        var context = await ContextAsync(http).ConfigureAwait(false);
        var report = services.GetServices<UiReport>().FirstOrDefault(r => r.Kind == slot.Kind);
        var content = report is null ? null : await report.RenderAsync(store, context.Registry.Snapshot, http.RequestAborted).ConfigureAwait(false);
        await renderer.WriteAsync<ReportPage>(http, new Dictionary<string, object?>
        {
            [nameof(ReportPage.Context)] = context,
            [nameof(ReportPage.Slot)] = slot,
            [nameof(ReportPage.Content)] = content,
        }).ConfigureAwait(false);
    }

    private async Task LoginPageAsync(HttpContext http)
    {
        if (!access.KeysRequired)
        {
            http.Response.Redirect(BaseOf(http) + "/");
            return;
        }

        await WriteLoginAsync(http, LocalReturn(http, http.Request.Query["return"].ToString()), null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private async Task SignInAsync(HttpContext http)
    {
        var basePath = BaseOf(http);
        if (!access.KeysRequired)
        {
            http.Response.Redirect(basePath + "/");
            return;
        }

        // A sign-in posted from another site (login CSRF) is refused; browsers send Origin with every POST.
        if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("sign-in is only accepted from the UI's own pages", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false) : null;
        var key = form?["key"].ToString() ?? string.Empty;
        var target = LocalReturn(http, form?["return"].ToString());
        var error = key.Length == 0
            ? Granary.Server.ServerError.Unauthorized("enter an API key")
            : access.CheckPresented(key);
        if (error is not null)
        {
            await WriteLoginAsync(http, target, error.Detail, error.Status).ConfigureAwait(false);
            return;
        }

        access.SignIn(http, key, basePath);
        http.Response.Redirect(target);
    }

    private Task WriteLoginAsync(HttpContext http, string target, string? error, int status) =>
        renderer.WriteAsync<LoginPage>(
            http,
            new Dictionary<string, object?>
            {
                [nameof(LoginPage.Base)] = BaseOf(http),
                [nameof(LoginPage.AssetVersion)] = assets.Version,
                [nameof(LoginPage.Return)] = target,
                [nameof(LoginPage.Error)] = error,
            },
            status);

    /// <summary>A path under the UI to return to after signing in; anything else (another site, another path) goes to the overview.</summary>
    private string LocalReturn(HttpContext http, string? target)
    {
        var basePath = BaseOf(http);
        return !string.IsNullOrEmpty(target)
            && target.StartsWith(basePath + "/", StringComparison.Ordinal)
            && !target.Contains("//", StringComparison.Ordinal)
            && !target.Contains('\\', StringComparison.Ordinal)
            ? target
            : basePath + "/";
    }
}
