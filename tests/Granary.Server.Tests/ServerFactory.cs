using Granary.Serving.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Granary.Server.Tests;

/// <summary>
/// The feature server in process, mounted the way any ASP.NET Core host mounts it
/// (<c>AddGranaryFeatureServer</c> + <c>MapGranaryFeatureServer</c>), over a <see cref="TestRepo"/>.
/// </summary>
public sealed class ServerFactory(TestRepo repo, Action<GranaryServerOptions>? configure = null) : WebApplicationFactory<ServerFactory>
{
    /// <summary>The registry poll interval of the tests: short, so that hot reload shows quickly.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    protected override IHostBuilder CreateHostBuilder() =>
        new HostBuilder().ConfigureWebHost(web => web
            .ConfigureServices(services =>
            {
                services.AddRouting();
                services.AddGranaryFeatureServer(_ => repo.OpenStore(RegistryRefreshMode.ByHost), options =>
                {
                    options.RegistryPollInterval = PollInterval;
                    configure?.Invoke(options);
                });
            })
            .Configure(app =>
            {
                app.UseRouting();
                app.UseEndpoints(endpoints => endpoints.MapGranaryFeatureServer());
            }));

    /// <summary>The tests have no content to serve: the content root is the test folder, not a project folder beside the solution.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseContentRoot(AppContext.BaseDirectory);
        return base.CreateHost(builder);
    }

    public ServingService.ServingServiceClient GrpcClient() =>
        new(GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() }));
}
