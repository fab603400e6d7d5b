using Granary;
using Granary.Server;
using Granary.Server.Auth;
using Granary.Server.Diagnostics;
using Granary.Server.Grpc;
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
    /// Adds the feature server's services: the store (one for the host's lifetime, disposed with
    /// it), the registry poller, API key checks, gRPC, the OpenAPI document and OpenTelemetry metrics
    /// with a Prometheus exporter. Requests that no endpoint of the host takes are answered with problem
    /// details too: 404 for an unknown path, 405 for a known path asked with another method.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="store">Builds the <see cref="FeatureStore"/> to serve, for example from <c>FeatureStoreBuilder</c>.</param>
    /// <param name="configure">Sets <see cref="GranaryServerOptions"/>; they are validated when the host starts.</param>
    public static IServiceCollection AddGranaryFeatureServer(
        this IServiceCollection services, Func<IServiceProvider, FeatureStore> store, Action<GranaryServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        services.AddOptions<GranaryServerOptions>()
            .Configure(o => configure?.Invoke(o))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GranaryServerOptions>, GranaryServerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(store);
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<ApiKeyAuthenticator>();
        services.TryAddSingleton<RegistryStatus>();
        services.TryAddSingleton<OnlineFeaturesEndpoint>();
        services.TryAddSingleton<WriteEndpoints>();
        services.TryAddSingleton<MaterializeEndpoints>();
        services.TryAddSingleton<HealthEndpoint>();
        services.TryAddSingleton<RegistryEndpoints>();
        services.TryAddSingleton<ServerErrorReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, MethodNotAllowedProblems>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, UnmatchedRoutes>());
        services.AddHostedService<RegistryPoller>();
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
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName)
            .AddMeter(Granary.FeatureLogs.FeatureLogMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }
}
