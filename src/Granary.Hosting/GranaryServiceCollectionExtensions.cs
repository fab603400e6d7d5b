using Granary;
using Granary.Hosting;
using Granary.Hosting.Diagnostics;
using Granary.Hosting.HealthChecks;
using Granary.Repo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Granary in any .NET host (ASP.NET Core, a worker, a console app with the generic host).</summary>
public static class GranaryServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="FeatureStore"/> for the host's lifetime, built from the feature repo at
    /// <paramref name="repoPath"/>: its granary.yaml chooses the registry and stores among the backends
    /// <paramref name="backends"/> adds (<c>stores =&gt; stores.AddSqlite().AddDuckDb()</c>). The store is
    /// built when the host starts (a mistake in granary.yaml stops it), disposed with the host, and its
    /// registry snapshot is refreshed in the background (<see cref="GranaryOptions.RegistryRefreshInterval"/>).
    /// </summary>
    public static IServiceCollection AddGranary(this IServiceCollection services, string repoPath, Action<FeatureStoreBuilder> backends) =>
        services.AddGranary(options => options.RepoPath = repoPath, backends);

    /// <summary>
    /// Registers the store as <see cref="AddGranary(IServiceCollection, string, Action{FeatureStoreBuilder})"/>
    /// does, with <see cref="GranaryOptions"/> bound from <paramref name="configuration"/> (for example
    /// <c>builder.Configuration.GetSection("Granary")</c> holding <c>RepoPath</c>).
    /// </summary>
    public static IServiceCollection AddGranary(this IServiceCollection services, IConfiguration configuration, Action<FeatureStoreBuilder> backends)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GranaryOptions>().Bind(configuration);
        return services.AddGranary(_ => { }, backends);
    }

    /// <summary>Registers the store as <see cref="AddGranary(IServiceCollection, string, Action{FeatureStoreBuilder})"/> does, with options set in code.</summary>
    public static IServiceCollection AddGranary(this IServiceCollection services, Action<GranaryOptions> configure, Action<FeatureStoreBuilder> backends)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(backends);
        services.AddOptions<GranaryOptions>().Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GranaryOptions>, RepoPathValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => BuildStore(provider, backends));
        return services.AddGranaryRegistryRefresh();
    }

    /// <summary>
    /// Adds Granary's health checks, tagged <see cref="GranaryHealthCheckOptions.ReadyTag"/>: the registry
    /// was read at the last refresh (<c>granary_registry</c>), the online store answers a ping in time
    /// (<c>granary_online_store</c>), the offline store answers when <see cref="GranaryHealthCheckOptions.CheckOfflineStore"/>
    /// (<c>granary_offline_store</c>), and every materialized view is fresh, else degraded (<c>granary_freshness</c>).
    /// Map them with <c>app.MapHealthChecks("/health/ready", new() { Predicate = c =&gt; c.Tags.Contains("ready") })</c>.
    /// </summary>
    public static IHealthChecksBuilder AddGranaryHealthChecks(this IServiceCollection services, Action<GranaryHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GranaryHealthCheckOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GranaryHealthCheckOptions>, DataAnnotationsValidator<GranaryHealthCheckOptions>>());
        services.TryAddSingleton(TimeProvider.System);
        var builder = services.AddHealthChecks();
        if (services.Any(d => d.ServiceType == typeof(HealthChecksAdded)))
        {
            return builder; // added before (AddGranaryFeatureServer adds them too); names must stay unique
        }

        services.AddSingleton<HealthChecksAdded>();
        string[] tags = [GranaryHealthCheckOptions.ReadyTag, "granary"];
        builder.AddCheck<RegistryHealthCheck>("granary_registry", HealthStatus.Unhealthy, tags);
        builder.AddCheck<OnlineStoreHealthCheck>("granary_online_store", HealthStatus.Unhealthy, tags);
        builder.AddCheck<FreshnessHealthCheck>("granary_freshness", HealthStatus.Degraded, tags);

        // Decided when the options are known, which may be after this call (bound from configuration).
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<GranaryHealthCheckOptions>>((health, granary) =>
        {
            if (granary.Value.CheckOfflineStore && health.Registrations.All(r => r.Name != "granary_offline_store"))
            {
                health.Registrations.Add(new HealthCheckRegistration(
                    "granary_offline_store",
                    provider => ActivatorUtilities.CreateInstance<OfflineStoreHealthCheck>(provider),
                    HealthStatus.Unhealthy,
                    tags));
            }
        });
        return builder;
    }

    /// <summary>
    /// Refreshes the registry snapshot of the host's <see cref="FeatureStore"/> in the background; for hosts
    /// that register the store themselves (<c>AddGranary</c> calls it). The store must be built with
    /// <see cref="RegistryRefreshMode.ByHost"/>: the host fails to start otherwise.
    /// </summary>
    public static IServiceCollection AddGranaryRegistryRefresh(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GranaryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GranaryOptions>, DataAnnotationsValidator<GranaryOptions>>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RegistryStatus>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RegistryRefresher>());
        return services;
    }

    private static FeatureStore BuildStore(IServiceProvider provider, Action<FeatureStoreBuilder> backends)
    {
        var options = provider.GetRequiredService<IOptions<GranaryOptions>>().Value;
        var loggers = provider.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var builder = new FeatureStoreBuilder(FeatureRepo.LoadConfig(options.RepoPath))
        {
            LoggerFactory = loggers,
            TimeProvider = provider.GetRequiredService<TimeProvider>(),

            // The refresher keeps the snapshot current; reads never wait for the registry.
            Options = new FeatureStoreOptions { RegistryRefresh = RegistryRefreshMode.ByHost, Transformations = options.Transformations },
        };
        backends(builder);
        var store = builder.Build();
        Log.StoreBuilt(loggers.CreateLogger("Granary.Hosting"), builder.Config.RepoPath, store.Project);
        return store;
    }

    /// <summary>Marks a service collection that has Granary's health checks.</summary>
    private sealed class HealthChecksAdded;
}
