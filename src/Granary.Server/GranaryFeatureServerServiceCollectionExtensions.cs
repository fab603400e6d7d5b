using Granary;
using Granary.Server;
using Granary.Server.Auth;
using Granary.Server.Diagnostics;
using Granary.Server.Grpc;
using Granary.Diagnostics;
using Granary.Hosting;
using Granary.Server.Hosting;
using Granary.Server.Rest;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Granary feature server in any ASP.NET Core host; pair with <c>MapGranaryFeatureServer</c>.</summary>
public static class GranaryFeatureServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the feature server's services over the <see cref="FeatureStore"/> that <c>AddGranary</c>
    /// registered (call it first): API key checks, gRPC, the OpenAPI document, Granary's health checks
    /// (<c>/health/live</c>, <c>/health/ready</c>), OpenTelemetry metrics with a Prometheus exporter and
    /// Granary's traces. Requests that no endpoint of the host takes are answered with problem details
    /// too: 404 for an unknown path, 405 for a known path asked with another method.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets <see cref="GranaryServerOptions"/>; they are validated when the host starts.</param>
    /// <exception cref="InvalidOperationException"><c>AddGranary</c> was not called first.</exception>
    public static IServiceCollection AddGranaryFeatureServer(this IServiceCollection services, Action<GranaryServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(FeatureStore)))
        {
            throw new InvalidOperationException(
                "AddGranaryFeatureServer serves the FeatureStore of AddGranary: call services.AddGranary(repoPath, stores => stores.Add...()) first");
        }

        return services.AddFeatureServer(configure);
    }

    /// <summary>
    /// Adds the feature server's services as <see cref="AddGranaryFeatureServer(IServiceCollection, Action{GranaryServerOptions}?)"/>
    /// does, over a store the host builds itself; the registry is refreshed every
    /// <see cref="GranaryServerOptions.RegistryPollInterval"/>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="store">
    /// Builds the <see cref="FeatureStore"/> to serve, for example from <c>FeatureStoreBuilder</c>, with
    /// <see cref="FeatureStoreOptions.RegistryRefresh"/> = <see cref="RegistryRefreshMode.ByHost"/>; it is one for
    /// the host's lifetime and disposed with it.
    /// </param>
    /// <param name="configure">Sets <see cref="GranaryServerOptions"/>; they are validated when the host starts.</param>
    public static IServiceCollection AddGranaryFeatureServer(
        this IServiceCollection services, Func<IServiceProvider, FeatureStore> store, Action<GranaryServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        services.TryAddSingleton(store);
        services.AddOptions<GranaryOptions>().Configure<IOptions<GranaryServerOptions>>((granary, server) =>
            granary.RegistryRefreshInterval = server.Value.RegistryPollInterval);
        return services.AddFeatureServer(configure);
    }

    private static IServiceCollection AddFeatureServer(this IServiceCollection services, Action<GranaryServerOptions>? configure)
    {
        services.AddOptions<GranaryServerOptions>()
            .Configure(o => configure?.Invoke(o))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GranaryServerOptions>, GranaryServerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddGranaryRegistryRefresh();
        services.AddGranaryHealthChecks();
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<StoreCalls>();
        services.TryAddSingleton<ApiKeyAuthenticator>();
        services.TryAddSingleton<OnlineFeaturesEndpoint>();
        services.TryAddSingleton<WriteEndpoints>();
        services.TryAddSingleton<MaterializeEndpoints>();
        services.TryAddSingleton<HealthEndpoint>();
        services.TryAddSingleton<RegistryEndpoints>();
        services.TryAddSingleton<ServerErrorReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, MethodNotAllowedProblems>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, UnmatchedRoutes>());
        services.TryAddSingleton<ServingGrpcService>();
        services.TryAddSingleton<ServerErrorInterceptor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<ServingGrpcService>, ServingMethods>());
        services.AddGrpc().AddServiceOptions<ServingGrpcService>(grpc => grpc.Interceptors.Add<ServerErrorInterceptor>());
        services.AddSingleton<IConfigureOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>>(provider =>
            new ConfigureOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>(grpc =>
            {
                var limit = provider.GetRequiredService<IOptions<GranaryServerOptions>>().Value.MaxBodyBytes;
                grpc.MaxReceiveMessageSize = (int)Math.Min(limit, int.MaxValue);
            }));
        services.AddOpenApi(Microsoft.AspNetCore.Builder.GranaryFeatureServerEndpointRouteBuilderExtensions.OpenApiDocumentName, openApi =>
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Granary feature server";
                document.Info.Description = "Feast-compatible online serving, pushes, materialization and a read-only registry API. "
                    + "The gRPC API (granary.serving.v1.ServingService) is described by its .proto file.";
                return Task.CompletedTask;
            }));
        // Traces are the host's choice (granary serve exports them over OTLP when asked): a tracer without an
        // exporter would only cost the read path its spans.
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName, GranaryDiagnostics.MeterName)
            .AddMeter(Granary.FeatureLogs.FeatureLogMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }
}
