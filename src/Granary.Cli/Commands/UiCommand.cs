using System.CommandLine;
using System.Net;
using Granary.Repo;
using Granary.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary ui</c>: the web UI alone, read-only, over the repo's registry and stores, until Ctrl-C
/// or SIGTERM. <c>granary serve</c> serves the same UI under <c>/ui</c> on its REST port.
/// </summary>
internal static class UiCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "The address to listen on; anything but loopback needs api_keys or --allow-remote", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The port", DefaultValueFactory = _ => 8888 };
        var serverUrl = new Option<string>("--server-url") { Description = "Where granary serve answers, for the curl commands of \"try it\"", DefaultValueFactory = _ => "http://127.0.0.1:6566" };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Answer clients on other machines without api_keys (anyone who reaches the port reads the registry and features)" };
        var command = new Command("ui", "Browse the feature repo in a web browser: definitions, lineage, freshness, online reads") { host, port, serverUrl, allowRemote };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var config = FeatureRepo.LoadConfig(parse.GetValue(CliOptions.Repo)!);

            // The UI requires the feature server's keys; read them now so that a missing key variable fails before listening.
            var settings = new GranaryServerOptions().LoadFrom(config.FeatureServer, Environment.GetEnvironmentVariable);
            var address = ServeCommand.Address(parse.GetValue(host)!);
            var listenPort = parse.GetValue(port);
            if (listenPort is < 1 or > 65535)
            {
                throw new GranaryException($"--port must be a port from 1 to 65535, not {listenPort}");
            }

            var remote = !IPAddress.IsLoopback(address) && settings.ApiKeys.Count == 0;
            if (remote && !parse.GetValue(allowRemote))
            {
                throw new GranaryException(
                    $"--host {address} is not a loopback address and feature_server.api_keys is empty: the UI would be open to anyone who reaches it; set api_keys in {RepoConfig.FileName} or pass --allow-remote");
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(address, listenPort);
            });
            builder.Services.AddGranaryUi(
                services =>
                {
                    var stores = Stores.Builder(config);
                    stores.LoggerFactory = services.GetRequiredService<ILoggerFactory>();
                    stores.TimeProvider = services.GetRequiredService<TimeProvider>();
                    return stores.Build();
                },
                options => options.LoadFrom(config.FeatureServer, Environment.GetEnvironmentVariable));
            builder.Services.AddGranaryReports();
            await using var app = builder.Build();
            app.MapGranaryUi(options =>
            {
                options.ServerUrl = parse.GetValue(serverUrl);
                options.AllowRemoteWithoutKeys = remote;
            });
            app.MapGet("/", (HttpContext c) => Results.Redirect(c.Request.PathBase + GranaryUiEndpointRouteBuilderExtensions.DefaultPath + "/"));

            if (remote)
            {
                Console.Error.WriteLine($"""
                    WARNING: the UI answers on {address}, which is not a loopback address, WITHOUT AUTHENTICATION.
                    WARNING: anyone who can reach this port can read the registry and online features.
                    """);
            }

            try
            {
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (IOException e)
                {
                    throw new GranaryException($"cannot listen on {address} port {listenPort}: {e.Message}", e);
                }

                Console.WriteLine($"Granary UI for project '{config.Project}' on http://{ServeCommand.Authority(address, listenPort)}{GranaryUiEndpointRouteBuilderExtensions.DefaultPath}/");
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: a normal way to stop a server.
            }

            return 0;
        }));
        return command;
    }
}
