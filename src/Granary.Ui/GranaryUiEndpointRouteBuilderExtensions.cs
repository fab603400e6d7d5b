using Granary;
using Granary.Server.Auth;
using Granary.Ui;
using Granary.Ui.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Granary web UI; the host registers its services with <c>AddGranaryFeatureServer</c> or <c>AddGranaryUi</c>.</summary>
public static class GranaryUiEndpointRouteBuilderExtensions
{
    /// <summary>Where the UI is mapped unless told otherwise.</summary>
    public const string DefaultPath = "/ui";

    /// <summary>Maps the UI under <c>/ui</c>: see <see cref="MapGranaryUi(IEndpointRouteBuilder, string, Action{GranaryUiOptions}?)"/>.</summary>
    public static RouteGroupBuilder MapGranaryUi(this IEndpointRouteBuilder endpoints, Action<GranaryUiOptions>? configure = null) =>
        endpoints.MapGranaryUi(DefaultPath, configure);

    /// <summary>
    /// Maps the read-only web UI under <paramref name="path"/>: overview, every kind of definition,
    /// lineage, search, "try it" and the report pages, rendered on the server from the registry of
    /// the host's <see cref="FeatureStore"/>. API keys are those of the feature server's options.
    /// </summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="path">Where the UI lives, such as <c>/ui</c>: starts with '/', no trailing '/'.</param>
    /// <param name="configure">Sets <see cref="GranaryUiOptions"/>.</param>
    /// <returns>The UI's endpoints, for conventions such as <c>RequireHost</c>.</returns>
    /// <exception cref="InvalidOperationException">The host registered neither the feature server nor the UI's services.</exception>
    public static RouteGroupBuilder MapGranaryUi(this IEndpointRouteBuilder endpoints, string path, Action<GranaryUiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.StartsWith('/') || path.EndsWith('/'))
        {
            throw new ArgumentException($"the UI's path must start with '/' and not end with one, as /ui does; not '{path}'", nameof(path));
        }

        var options = new GranaryUiOptions();
        configure?.Invoke(options);
        options.Validate();

        var services = endpoints.ServiceProvider;
        var store = services.GetService<FeatureStore>();
        var authenticator = services.GetService<ApiKeyAuthenticator>();
        if (store is null || authenticator is null)
        {
            throw new InvalidOperationException("MapGranaryUi needs the store and API keys of AddGranaryFeatureServer or AddGranaryUi: call one of them on the host's services first");
        }

        var protection = services.GetService<IDataProtectionProvider>() ?? new EphemeralDataProtectionProvider();
        var access = new UiAccess(authenticator, options, protection);
        var renderer = new PageRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var group = endpoints.MapGroup(path);
        new UiEndpoints(path, store, access, renderer, new UiAssets(), time, options, services).Map(group);
        return group;
    }
}
