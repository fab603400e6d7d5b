using System.Net;
using Granary.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Granary.Ui.Tests;

/// <summary>
/// The UI on a real Kestrel server on 127.0.0.1 and a free port, mounted the way any host mounts it
/// (<c>AddGranaryUi</c> + <c>MapGranaryUi</c>), over a <see cref="UiRepo"/>.
/// </summary>
public sealed class UiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UiHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(baseUrl) };
    }

    /// <summary>The server's root, such as <c>http://127.0.0.1:41234</c>; the UI is under <c>/ui/</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>A client that follows no redirects and keeps no cookies, so that tests see each answer.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the UI over <paramref name="repo"/>.</summary>
    /// <param name="repo">The repo.</param>
    /// <param name="keys">API keys, as the feature server's options hold them.</param>
    /// <param name="remoteAddress">When set, every request is seen as coming from this address (a client on another machine).</param>
    /// <param name="configure">UI options.</param>
    public static Task<UiHost> StartAsync(
        UiRepo repo, Action<GranaryServerOptions>? keys = null, IPAddress? remoteAddress = null, Action<GranaryUiOptions>? configure = null) =>
        StartAsync(() => repo.OpenStore(), repo.Clock, keys, remoteAddress, configure);

    /// <summary>Starts the UI over the store <paramref name="openStore"/> builds, with the clock <paramref name="clock"/>.</summary>
    public static async Task<UiHost> StartAsync(
        Func<FeatureStore> openStore, TimeProvider clock, Action<GranaryServerOptions>? keys = null, IPAddress? remoteAddress = null, Action<GranaryUiOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(clock);
        builder.Services.AddGranaryUi(_ => openStore(), keys);
        var app = builder.Build();
        if (remoteAddress is not null)
        {
            app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress = remoteAddress;
                return next(context);
            });
        }

        app.MapGranaryUi(configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new UiHost(app, address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
