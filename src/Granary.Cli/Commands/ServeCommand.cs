using System.CommandLine;
using System.Net;
using Granary.Repo;
using Granary.Server;
using Granary.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary serve</c>: the feature server over the repo's stores, REST (Feast's API) on one port and
/// gRPC (HTTP/2 only) on another, until Ctrl-C or SIGTERM.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "The address to listen on; anything but loopback without api_keys prints a warning", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The REST port (HTTP/1.1)", DefaultValueFactory = _ => 6566 };
        var grpcPort = new Option<int>("--grpc-port") { Description = "The gRPC port (HTTP/2 without TLS)", DefaultValueFactory = _ => 6567 };
        var logFormat = new Option<string>("--log-format") { Description = "text (one line per event) or json (structured)", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var noUi = new Option<bool>("--no-ui") { Description = "Do not serve the web UI under /ui on the REST port" };
        var command = new Command("serve", "Serve features over REST (Feast's feature server API) and gRPC") { host, port, grpcPort, logFormat, noUi };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var config = FeatureRepo.LoadConfig(parse.GetValue(CliOptions.Repo)!);

            // Read once here so that a bad feature_server section or a missing key variable fails before listening.
            var settings = new GranaryServerOptions().LoadFrom(config.FeatureServer, Environment.GetEnvironmentVariable);
            var address = Address(parse.GetValue(host)!);
            foreach (var (option, value) in new[] { ("--port", parse.GetValue(port)), ("--grpc-port", parse.GetValue(grpcPort)) })
            {
                if (value is < 1 or > 65535)
                {
                    throw new UsageException($"{option} must be a port from 1 to 65535, not {value}");
                }
            }

            if (parse.GetValue(port) == parse.GetValue(grpcPort))
            {
                throw new UsageException("--port and --grpc-port must differ: REST and gRPC listen on ports of their own");
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            if (parse.GetValue(logFormat) == "json")
            {
                // Scopes carry the request id to every line logged while a request runs, the stores' included.
                builder.Logging.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.IncludeScopes = true;
                });
            }
            else
            {
                builder.Logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.IncludeScopes = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                });
            }

            // Per-request framework logs would cost more than a feature read; the server logs what matters itself.
            builder.Logging.SetMinimumLevel(CommandRunner.Verbosity switch
            {
                Verbosity.Quiet => LogLevel.Warning,
                Verbosity.Verbose => LogLevel.Debug,
                _ => LogLevel.Information,
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
            // Idle connections must not pin every file descriptor: at the cap the oldest idle one is shed.
            // The cap fitting the descriptor limit is measured at the first connection, when the server's assemblies are loaded.
            var shedder = settings.MaxConnections > 0 ? new ConnectionShedder(settings.MaxConnections) : new ConnectionShedder(() => ConnectionShedder.FitDescriptorLimit());
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = settings.MaxBodyBytes;

                // REST answers on its port only, told by the connection's port rather than the Host header (which a proxy
                // rewrites); gRPC needs HTTP/2, which only the gRPC port speaks without TLS.
                kestrel.Listen(address, parse.GetValue(port), listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.Use(shedder.Middleware);
                });
                kestrel.Listen(address, parse.GetValue(grpcPort), listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    listen.Use(shedder.Middleware);
                });
            });
            var telemetry = Telemetry.AddOtlpExport(builder.Services, Environment.GetEnvironmentVariable);
            builder.Services.AddGranary(
                options =>
                {
                    options.RepoPath = config.RepoPath;
                    options.RegistryRefreshInterval = settings.RegistryPollInterval;
                },
                stores => Stores.AddBackends(stores, telemetry.RedisConnected));
            builder.Services.AddGranaryHealthChecks(options => options.OnlineStoreTimeout = settings.ReadTimeout);
            builder.Services.AddGranaryFeatureServer(options => options.LoadFrom(config.FeatureServer, Environment.GetEnvironmentVariable));
            builder.Services.AddGranaryReports();
            await using var app = builder.Build();
            // REST (and the UI) answer on connections accepted on the REST port only, told apart by the
            // connection's port rather than the Host header; gRPC needs HTTP/2, which only its own port speaks.
            app.Use(shedder.TrackRequestsAsync);
            app.MapGranaryFeatureServer().RequireLocalPort(parse.GetValue(port));
            if (!parse.GetValue(noUi))
            {
                app.MapGranaryUi().RequireLocalPort(parse.GetValue(port));
            }

            if (!IPAddress.IsLoopback(address) && settings.ApiKeys.Count == 0)
            {
                Console.Error.WriteLine($"""
                    WARNING: serving on {address}, which is not a loopback address, WITHOUT AUTHENTICATION.
                    WARNING: anyone who can reach this port can read features, push rows and materialize.
                    WARNING: set feature_server.api_keys in {RepoConfig.FileName} (see docs/feature-server.md).
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
                    throw new GranaryException($"cannot listen on {address} ports {parse.GetValue(port)} and {parse.GetValue(grpcPort)}: {e.Message}", e);
                }

                CommandRunner.Info($"Serving project '{config.Project}': REST on http://{Authority(address, parse.GetValue(port))}, gRPC on http://{Authority(address, parse.GetValue(grpcPort))} (HTTP/2)");
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

    internal static IPAddress Address(string host) =>
        host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address
        : throw new UsageException($"--host '{host}' is not an IP address (such as 127.0.0.1 or 0.0.0.0) or localhost");

    internal static string Authority(IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
