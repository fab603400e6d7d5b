using Granary;
using Granary.Server;
using Granary.Server.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the Granary web UI needs in a host that does not run the feature server; pair with <c>MapGranaryUi</c>.</summary>
public static class GranaryUiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store whose registry the UI shows (one for the host's lifetime, disposed with it) and
    /// the API keys it requires, read the way the feature server reads them. A host that calls
    /// <c>AddGranaryFeatureServer</c> needs nothing more: the UI uses the server's store and keys.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="store">Builds the <see cref="FeatureStore"/>, for example from <c>FeatureStoreBuilder</c>.</param>
    /// <param name="configureKeys">Sets <see cref="GranaryServerOptions"/>, of which the UI uses the API keys.</param>
    public static IServiceCollection AddGranaryUi(
        this IServiceCollection services, Func<IServiceProvider, FeatureStore> store, Action<GranaryServerOptions>? configureKeys = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        services.AddOptions<GranaryServerOptions>().Configure(o => configureKeys?.Invoke(o));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(store);
        services.TryAddSingleton<ApiKeyAuthenticator>();
        return services;
    }
}
